import { inject } from "vitest";
import { binaryPath } from "../../lib/cluster/control-plane-binaries";
import { type CommandResult, runCommand } from "../../lib/cluster/drivers/run-command";

// Helpers for tests against the lite cluster that global-setup.ts started.

export function kubeconfigPath(): string {
  return inject("kubeconfig");
}

/** Runs the pinned kubectl against the lite cluster; a failure is returned, not thrown. */
export function kubectl(args: string[], input?: string): Promise<CommandResult> {
  return runCommand(binaryPath("kubectl"), ["--kubeconfig", kubeconfigPath(), ...args], { input });
}

/** Runs the pinned istioctl against the lite cluster; a failure is returned, not thrown. */
export function istioctl(args: string[], input?: string): Promise<CommandResult> {
  return runCommand(binaryPath("istioctl"), ["--kubeconfig", kubeconfigPath(), ...args], { input });
}

/** kubectl that throws with stderr on failure and returns stdout. */
export async function kubectlOk(args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

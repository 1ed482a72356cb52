import { existsSync } from "node:fs";
import path from "node:path";
import type { ActiveCluster } from "./active-cluster";
import { type CommandResult, runCommand } from "./drivers/run-command";

/** kubectl from the built tools folder when present, else from PATH, against the active cluster. */
export function runKubectl(
  cluster: ActiveCluster,
  args: string[],
  timeoutMs = 120_000,
  input?: string,
): Promise<CommandResult> {
  const built = cluster.binDir ? path.join(cluster.binDir, "kubectl") : undefined;
  const kubectl = built && existsSync(built) ? built : "kubectl";
  const context = cluster.context ? ["--context", cluster.context] : [];
  const env = { ...process.env, KUBECONFIG: cluster.kubeconfig ?? "" };
  return runCommand(kubectl, [...context, ...args], { env, timeoutMs, input }).catch((e: Error) => ({
    code: 127,
    stdout: "",
    stderr: `cannot run kubectl: ${e.message}`,
  }));
}

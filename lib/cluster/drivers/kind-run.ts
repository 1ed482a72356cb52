// How the kind driver runs its tools: with the driver's environment (its PATH picks docker,
// kind, kubectl), a bounded time, a progress line every 15 s while a long step runs, and a
// missing executable returned as a result instead of thrown.
import path from "node:path";
import type { EnvSource } from "../../env";
import type { Step } from "./kind-plan";
import { type CommandResult, runCommand } from "./run-command";
import type { ProgressFn } from "./types";

export interface ToolResult extends CommandResult {
  /** the executable was not found */
  missing?: boolean;
}

export type ToolRun = (
  command: string,
  args: string[],
  options?: { input?: string; timeoutS?: number },
) => Promise<ToolResult>;

export function createToolRun(env: EnvSource): ToolRun {
  return async (command, args, options = {}) => {
    try {
      return await runCommand(command, args, {
        env: env as NodeJS.ProcessEnv,
        input: options.input,
        timeoutMs: (options.timeoutS ?? 30) * 1000,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return { code: 127, stdout: "", stderr: `${command}: not found`, missing: true };
      }
      throw error;
    }
  };
}

/** Runs a plan step with its progress line; throws with the tool's own words when it fails. */
export async function runStep(run: ToolRun, step: Step, onProgress: ProgressFn): Promise<string> {
  onProgress(step.what);
  const started = Date.now();
  const ticker = setInterval(
    () =>
      onProgress(`still ${step.what} (${Math.round((Date.now() - started) / 1000)} s of at most ${step.timeoutS} s)`),
    15_000,
  );
  try {
    const result = await run(step.command, step.args, { input: step.input, timeoutS: step.timeoutS });
    if (result.code !== 0) {
      const output = (result.stderr || result.stdout).trim();
      throw new Error(`${step.what}: ${path.basename(step.command)} failed (exit ${result.code}):\n${output}`);
    }
    return result.stdout;
  } finally {
    clearInterval(ticker);
  }
}

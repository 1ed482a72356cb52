import { spawn } from "node:child_process";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs a command to completion; a non-zero exit is returned, not thrown. */
export function runCommand(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal) stderr += `\n${command} was stopped by ${signal}`;
      resolve({ code: code ?? 1, stdout, stderr });
    });
    // A command that exits before reading all its input makes the write fail (EPIPE); the
    // result is still what the command did, which "close" reports.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** Like runCommand, but throws with the command's stderr when it fails. */
export async function runCommandOrThrow(
  command: string,
  args: string[],
  options: CommandOptions = {},
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const name = command.split("/").pop();
    throw new Error(
      `${name} ${args.join(" ")} failed (exit ${result.code}):\n${(result.stderr || result.stdout).trim()}`,
    );
  }
  return result.stdout;
}

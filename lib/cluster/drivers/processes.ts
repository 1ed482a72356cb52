import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface RecordedProcess {
  name: string;
  pid: number;
  command: string;
}

/** Starts a long-running process that outlives this one, logging to logFile; env is added to this process's. */
export function spawnDetached(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  env: Record<string, string> = {},
): RecordedProcess {
  const log = openSync(logFile, "a");
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, ...env },
    });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    child.unref();
    return { name, pid: child.pid, command };
  } finally {
    closeSync(log);
  }
}

/** True if the pid is alive and still runs the recorded command (pids get reused). */
export function isRecordedProcessRunning(proc: RecordedProcess): boolean {
  if (existsSync("/proc/self/cmdline")) {
    try {
      const argv0 = readFileSync(`/proc/${proc.pid}/cmdline`, "utf8").split("\0")[0];
      return argv0 === proc.command;
    } catch {
      return false;
    }
  }
  try {
    process.kill(proc.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
export async function stopRecordedProcess(proc: RecordedProcess, graceMs = 10_000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(proc.pid, name);
    } catch {
      // already gone
    }
  };
  if (!isRecordedProcessRunning(proc)) return;
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isRecordedProcessRunning(proc)) {
    if (Date.now() > deadline + 5_000) throw new Error(`${proc.name} (pid ${proc.pid}) did not stop`);
    if (Date.now() > deadline) signal("SIGKILL");
    await sleep(50);
  }
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no free port"));
      });
    });
  });
}

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { endProcessSession } from "./signal-process-session";

const dir = mkdtempSync(path.join(tmpdir(), "ica-signals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FAST = { termAfterMs: 300, killAfterMs: 300 };

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** bash running `script` in a session of its own (setsid), like the terminal's shell; returns its pid. */
async function startSession(name: string, script: string): Promise<{ pid: number; ready: string }> {
  const ready = path.join(dir, `${name}.ready`);
  const child = spawn("bash", ["-c", `${script}; touch ${ready}; while :; do sleep 0.1; done`], {
    detached: true,
    stdio: "ignore",
  });
  await waitFor(() => existsSync(ready), `${name} to start`);
  return { pid: child.pid as number, ready };
}

describe.runIf(process.platform === "linux")("endProcessSession", () => {
  it("stops after SIGHUP when nothing is left", async () => {
    const { pid } = await startSession("hup", "true");
    expect(await endProcessSession(pid, FAST)).toEqual(["SIGHUP"]);
    await waitFor(() => !isAlive(pid), "the process to die");
  });

  it("sends SIGTERM to what outlived SIGHUP, after the delay, so it can clean up", async () => {
    const lock = path.join(dir, "term.lock");
    const started = Date.now();
    const { pid } = await startSession("term", `trap '' HUP; trap 'rm -f ${lock}; exit 0' TERM; touch ${lock}`);
    const signals = endProcessSession(pid, FAST);
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(true);
    expect(existsSync(lock)).toBe(true);
    expect(await signals).toEqual(["SIGHUP", "SIGTERM"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.termAfterMs);
    await waitFor(() => !isAlive(pid) && !existsSync(lock), "the process to clean up and exit");
  });

  it("ends what left the session but carries the shell's marker, and spares the listed pids", {
    timeout: 15_000,
  }, async () => {
    const marker = `ICA_TERMINAL_SHELL=test-${process.pid}`;
    const left = path.join(dir, "left.pid");
    const spared = path.join(dir, "spared.pid");
    const { pid } = await startSession(
      "marker",
      // a double fork: the parent is gone, so only the marker leads to it
      `export ${marker}; (setsid sh -c 'echo $$ > ${left}; exec sleep 300' &); (setsid sh -c 'echo $$ > ${spared}; exec sleep 300' &)`,
    );
    await waitFor(() => existsSync(left) && existsSync(spared), "the jobs to start");
    const leftPid = Number(readFileSync(left, "utf8"));
    const sparedPid = Number(readFileSync(spared, "utf8"));
    try {
      const signals = await endProcessSession(
        { sessionId: pid, envMarker: marker, listSpared: () => [sparedPid] },
        FAST,
      );
      expect(signals[0]).toBe("SIGHUP");
      await waitFor(() => !isAlive(pid) && !isAlive(leftPid), "the shell and what left its session to die");
      expect(isAlive(sparedPid)).toBe(true);
    } finally {
      for (const p of [pid, leftPid, sparedPid]) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  });

  it("ends with SIGKILL what ignores SIGHUP and SIGTERM", async () => {
    const { pid } = await startSession("kill", "trap '' HUP TERM");
    expect(await endProcessSession(pid, FAST)).toEqual(["SIGHUP", "SIGTERM", "SIGKILL"]);
    await waitFor(() => !isAlive(pid), "the process to die");
  });
});

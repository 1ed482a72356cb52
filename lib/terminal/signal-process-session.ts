// Ending a shell must end what it started. Interactive bash puts every job in its own process
// group, so signalling the shell's group is not enough: on Linux every process of the shell's
// session (setsid by node-pty, so its id is the shell's pid) gets the signal.
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout } from "node:timers";

function listSessionMembers(sessionId: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp session ...; comm may contain spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // a zombie has ended already: its parent only has to reap it
      if (Number(fields[3]) === sessionId && fields[0] !== "Z") members.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return members;
}

/** Sends `signal` to every live process of the session; false when none was left to signal. */
export function signalProcessSession(sessionId: number, signal: NodeJS.Signals): boolean {
  const targets = process.platform === "linux" ? listSessionMembers(sessionId) : [-sessionId];
  let hasSignalled = false;
  for (const pid of targets) {
    try {
      process.kill(pid, signal);
      hasSignalled = true;
    } catch {
      // already gone
    }
  }
  return hasSignalled;
}

export interface EndProcessSessionTimings {
  /** from SIGHUP to SIGTERM */
  termAfterMs: number;
  /** from SIGTERM to SIGKILL */
  killAfterMs: number;
}

/**
 * SIGHUP gives a few seconds to clean up (bash passes it on to its jobs; a tool mid-write
 * removes its lock file), so whatever is still alive 2 s later gets SIGTERM, and SIGKILL 3 s
 * after that. Each step signals only the processes still alive, and the escalation stops once
 * the session is empty. The timers do not keep the process alive. Resolves with the signals
 * sent.
 */
export function endProcessSession(
  sessionId: number,
  timings: EndProcessSessionTimings = { termAfterMs: 2000, killAfterMs: 3000 },
): Promise<NodeJS.Signals[]> {
  const steps: [NodeJS.Signals, number][] = [
    ["SIGHUP", 0],
    ["SIGTERM", timings.termAfterMs],
    ["SIGKILL", timings.killAfterMs],
  ];
  const sent: NodeJS.Signals[] = [];
  return new Promise((resolve) => {
    const step = (i: number) => {
      if (i === steps.length || !signalProcessSession(sessionId, steps[i][0])) {
        resolve(sent);
        return;
      }
      sent.push(steps[i][0]);
      if (i + 1 === steps.length) resolve(sent);
      else setTimeout(() => step(i + 1), steps[i + 1][1]).unref();
    };
    step(0);
  });
}

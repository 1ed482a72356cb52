// Ending a shell must end what it started. Interactive bash puts every job in its own process
// group, so signalling the shell's group is not enough; and a job may leave the shell's session
// (setsid, a daemon's double fork), or outlive the shell and be re-parented to init. On Linux the
// processes of a shell are, at each step:
// - every process of its session (node-pty calls setsid, so the session id is the shell's pid),
// - every process whose environment carries the shell's marker (`ICA_TERMINAL_SHELL=<random>`,
//   set by spawnShell and inherited by everything the shell starts, wherever it moved),
// - every descendant of those (by parent pid), and every process found at an earlier step
//   (same pid and start time: pids get reused),
// less the spared ones (the lite cluster, which a learner may start from the terminal) and this
// process and its ancestors.
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export interface ShellProcesses {
  /** the shell's pid, which is its session's id */
  sessionId: number;
  /** `NAME=value` in the environment of everything the shell started */
  envMarker?: string;
  /** pids never to signal */
  listSpared?: () => Iterable<number>;
}

interface ProcessStat {
  pid: number;
  ppid: number;
  session: number;
  startTime: string;
  isZombie: boolean;
}

function readStat(pid: number | string): ProcessStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid pgrp session ... starttime (field 22); comm may contain spaces and ")"
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      pid: Number(pid),
      ppid: Number(fields[1]),
      session: Number(fields[3]),
      startTime: fields[19],
      // a zombie has ended already: its parent only has to reap it
      isZombie: fields[0] === "Z" || fields[0] === "X",
    };
  } catch {
    return undefined; // the process ended while we looked
  }
}

function hasEnvEntry(pid: number, entry: string): boolean {
  try {
    return `\0${readFileSync(`/proc/${pid}/environ`, "latin1")}`.includes(`\0${entry}\0`);
  } catch {
    return false; // gone, or another user's
  }
}

/** pid → start time of the shell's live processes; `known` holds those found before. */
function listShellProcesses(shell: ShellProcesses, known: Map<number, string>): Map<number, string> {
  const all = new Map<number, ProcessStat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat && !stat.isZombie) all.set(stat.pid, stat);
  }
  const excluded = new Set(shell.listSpared?.() ?? []);
  const ancestors = new Set<number>();
  for (let pid: number | undefined = process.pid; pid && !ancestors.has(pid); pid = all.get(pid)?.ppid) {
    ancestors.add(pid);
    excluded.add(pid);
  }

  const found = new Map<number, string>();
  for (const p of all.values()) {
    if (
      p.session === shell.sessionId ||
      known.get(p.pid) === p.startTime ||
      (shell.envMarker !== undefined && hasEnvEntry(p.pid, shell.envMarker))
    )
      found.set(p.pid, p.startTime);
  }
  const children = new Map<number, ProcessStat[]>();
  for (const p of all.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const pending = [...found.keys()];
  while (pending.length > 0) {
    for (const child of children.get(pending.pop() as number) ?? []) {
      if (found.has(child.pid)) continue;
      found.set(child.pid, child.startTime);
      pending.push(child.pid);
    }
  }
  for (const pid of excluded) found.delete(pid);
  return found;
}

function isStillRunning(pid: number, startTime: string): boolean {
  const stat = readStat(pid);
  return stat !== undefined && !stat.isZombie && stat.startTime === startTime;
}

function signalAll(pids: Iterable<number>, signal: NodeJS.Signals): boolean {
  let hasSignalled = false;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      hasSignalled = true;
    } catch {
      // already gone
    }
  }
  return hasSignalled;
}

/** Sends `signal` to every live process of the shell; false when none was left to signal. */
export function signalProcessSession(shell: ShellProcesses | number, signal: NodeJS.Signals): boolean {
  const scope = typeof shell === "number" ? { sessionId: shell } : shell;
  if (process.platform !== "linux") return signalAll([-scope.sessionId], signal);
  return signalAll(listShellProcesses(scope, new Map()).keys(), signal);
}

export interface EndProcessSessionTimings {
  /** from SIGHUP to SIGTERM */
  termAfterMs: number;
  /** from SIGTERM to SIGKILL */
  killAfterMs: number;
}

const POLL_MS = 50;
/** SIGKILL cannot be refused, but a process in uninterruptible sleep dies when it wakes */
const KILL_WAIT_MS = 3000;

/**
 * SIGHUP gives a few seconds to clean up (bash passes it on to its jobs; a tool mid-write
 * removes its lock file), so whatever is still alive 2 s later gets SIGTERM, and SIGKILL 3 s
 * after that. Each step looks for the shell's processes again and signals only the live ones;
 * the escalation stops once none is left. The timers keep this process alive, so a server that
 * exits when this resolves leaves nothing behind. Resolves with the signals sent, once the
 * processes are gone (or after SIGKILL and a last wait of 3 s for any that do not die).
 */
export async function endProcessSession(
  shell: ShellProcesses | number,
  timings: EndProcessSessionTimings = { termAfterMs: 2000, killAfterMs: 3000 },
): Promise<NodeJS.Signals[]> {
  const scope = typeof shell === "number" ? { sessionId: shell } : shell;
  const sent: NodeJS.Signals[] = [];
  if (process.platform !== "linux") {
    // no /proc: the shell's process group, on a timer
    for (const [signal, delayMs] of [
      ["SIGHUP", timings.termAfterMs],
      ["SIGTERM", timings.killAfterMs],
      ["SIGKILL", 0],
    ] as const) {
      if (!signalAll([-scope.sessionId], signal)) break;
      sent.push(signal);
      await sleep(delayMs);
    }
    return sent;
  }

  const known = new Map<number, string>();
  /** signals what the shell has now that was not signalled yet; false when it has nothing left */
  const signalNew = (signal: NodeJS.Signals) => {
    const found = listShellProcesses(scope, known);
    const fresh = [...found].filter(([pid, startTime]) => known.get(pid) !== startTime);
    for (const [pid, startTime] of fresh) known.set(pid, startTime);
    signalAll(
      fresh.map(([pid]) => pid),
      signal,
    );
    return found.size > 0;
  };
  const isAnyRunning = () => [...known].some(([pid, startTime]) => isStillRunning(pid, startTime));
  const steps: [NodeJS.Signals, number][] = [
    ["SIGHUP", timings.termAfterMs],
    ["SIGTERM", timings.killAfterMs],
    ["SIGKILL", KILL_WAIT_MS],
  ];
  for (const [signal, waitMs] of steps) {
    const targets = listShellProcesses(scope, known);
    for (const [pid, startTime] of targets) known.set(pid, startTime);
    if (!signalAll(targets.keys(), signal)) return sent;
    sent.push(signal);
    // Wait for the delay, or until everything is gone. What appears meanwhile (forked between a
    // look and its signal) gets this step's signal first.
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await sleep(POLL_MS);
      if (!isAnyRunning() && !signalNew(signal)) return sent;
    }
  }
  return sent;
}

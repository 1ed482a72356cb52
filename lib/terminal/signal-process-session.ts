// Ending a shell must end what it started. Interactive bash puts every job in its own process
// group, so signalling the shell's group is not enough: on Linux every process of the shell's
// session (setsid by node-pty, so its id is the shell's pid) gets the signal.
import { readdirSync, readFileSync } from "node:fs";

function listSessionMembers(sessionId: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp session ...; comm may contain spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[3]) === sessionId) members.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return members;
}

export function signalProcessSession(sessionId: number, signal: NodeJS.Signals): void {
  const targets = process.platform === "linux" ? listSessionMembers(sessionId) : [-sessionId];
  for (const pid of targets) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

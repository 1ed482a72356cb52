// One shell per scenario, or per exam sitting (single-user local mode), kept across page reloads:
// a closed socket leaves the shell running for a grace period, and the next attach replays recent
// output. An exam's shell ends at the exam's deadline.
import { setTimeout } from "node:timers";
import type { IPty } from "node-pty";
import type { RawData, WebSocket } from "ws";
import { type ActiveCluster, resolveActiveCluster } from "../cluster/active-cluster";
import { bareKubeconfigPath, clusterForScenario } from "../cluster/bare-cluster";
import { CONTEXT_NAME } from "../cluster/drivers/lite-access";
import { readLiteState } from "../cluster/drivers/lite-state";
import { isRecordedProcessRunning } from "../cluster/drivers/processes";
import { loadScenario } from "../scenarios/load-scenario";
import { getGlobalSingleton } from "./global-singleton";
import { parseClientMessage } from "./parse-client-message";
import { TERMINAL_CLOSE } from "./protocol";
import { endProcessSession } from "./signal-process-session";
import { spawnShell } from "./spawn-shell";
import { readTerminalConfig, type TerminalConfig } from "./terminal-config";
import { type TerminalTarget, targetOf, terminalKey } from "./terminal-target";

const SCROLLBACK_CHARS = 200_000;
/** setTimeout's largest delay; a deadline further away is not an exam's */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** pause the shell's output while this much is queued on the socket; resume below the low mark */
const HIGH_WATER_BYTES = 1 << 20;
const LOW_WATER_BYTES = 1 << 16;

// Plain data and module functions, no class: the Next bundle's copy of this module may end a
// session that server.ts's copy created (see global-singleton.ts).
interface TerminalSession {
  /** terminalKey(target): the session map's key */
  key: string;
  pty: IPty;
  /** in the environment of everything the shell started (see spawnShell) */
  envMarker: string;
  scrollback: string[];
  scrollbackChars: number;
  socket?: WebSocket;
  isPaused: boolean;
  isLeaving: boolean;
  hasEnded: boolean;
  /** the grace period after detach, or the short wait after `leave` */
  endTimer?: NodeJS.Timeout;
  idleTimer: NodeJS.Timeout;
  /** an exam's deadline: the shell ends then */
  deadlineTimer?: NodeJS.Timeout;
}

const sessions = () => getGlobalSingleton("ica-practice.terminal.sessions", () => new Map<string, TerminalSession>());
/** shells being ended (Reset, idle, exited, server stop): their processes are not all gone yet */
const ending = () => getGlobalSingleton("ica-practice.terminal.ending", () => new Set<Promise<unknown>>());

export function terminalSessionCount(): number {
  return sessions().size;
}

/** Ends the scenario's shell now (Reset); an attached page reconnects to a fresh one. */
export function endTerminalSession(target: TerminalTarget | string): boolean {
  const session = sessions().get(terminalKey(target));
  if (!session) return false;
  endSession(session, TERMINAL_CLOSE.restarted, "terminal restarted");
  return true;
}

/**
 * Ends an exam's shell for good (the exam ended): the page is told and does not reconnect.
 * Resolves once the shell's processes are gone, so nothing it started changes the cluster after.
 */
export async function closeTerminalSession(target: TerminalTarget | string, reason: string): Promise<boolean> {
  const session = sessions().get(terminalKey(target));
  if (!session) return false;
  await endSession(session, TERMINAL_CLOSE.timeUp, reason);
  return true;
}

/**
 * Ends every shell: server shutdown. Resolves once everything the shells started is gone, also
 * what shells ended earlier (Reset, idle) left still ending: SIGHUP, SIGTERM 2 s later, SIGKILL
 * 3 s after that, for what is still alive at each step (at most about 8 s). Until then its timers
 * keep the process alive.
 */
export async function endAllTerminalSessions(): Promise<void> {
  for (const session of [...sessions().values()]) endSession(session, TERMINAL_CLOSE.ended, "server stopped");
  await Promise.all([...ending()]);
}

/**
 * Attaches an accepted socket to the target's shell (a bare string: a scenario's), starting one
 * when there is none; a shell started with `endsAt` (epoch ms, an exam's deadline) ends then.
 */
export function attachTerminal(
  target: TerminalTarget | string,
  socket: WebSocket,
  options: { endsAt?: number } = {},
): void {
  const config = readTerminalConfig();
  const key = terminalKey(target);
  if (options.endsAt !== undefined && options.endsAt <= Date.now()) {
    socket.send("\r\n[time is up: the exam's terminal is closed]\r\n");
    socket.close(TERMINAL_CLOSE.timeUp, "time is up");
    return;
  }
  let session = sessions().get(key);
  if (!session) {
    try {
      session = startSession(targetOf(target), config, options.endsAt);
    } catch (e) {
      socket.send(`\r\n[could not start a shell: ${e instanceof Error ? e.message : String(e)}]\r\n`);
      socket.close(TERMINAL_CLOSE.failed, "spawn failed");
      return;
    }
  }
  const attached = session;
  const previous = attached.socket;
  if (previous) previous.close(TERMINAL_CLOSE.replaced, "attached elsewhere");
  clearTimeout(attached.endTimer);
  attached.isLeaving = false;
  attached.socket = socket;
  resumeOutput(attached);
  // The replay goes as one binary frame, live output as text: the page writes the replay without
  // answering the terminal queries in it (a vim that asked for the cursor or colours long ago).
  if (attached.scrollback.length > 0) socket.send(Buffer.from(attached.scrollback.join(""), "utf8"));

  socket.on("message", (data: RawData, isBinary: boolean) => {
    if (attached.socket !== socket || isBinary) return;
    handleMessage(attached, data.toString(), config);
  });
  socket.on("close", () => {
    if (attached.socket !== socket) return;
    attached.socket = undefined;
    resumeOutput(attached);
    if (!attached.isLeaving) scheduleEnd(attached, config.graceMs);
  });
  socket.on("error", () => socket.terminate());
}

/**
 * An exam's shell: the active cluster, and the bare cluster as context ica-lite-bare for an install
 * task (a task that needs it says so). The context is chosen in a file of the shell's own, so
 * `kubectl config use-context` never writes into the clusters' kubeconfigs.
 */
function examCluster(active: ActiveCluster): ActiveCluster {
  if (active.driver === "none" || !active.kubeconfig) return active;
  const context = active.context ?? (active.driver === "lite" ? CONTEXT_NAME : undefined);
  return { ...active, context, alsoKubeconfigs: [bareKubeconfigPath()] };
}

/** A scenario's shell talks to the cluster the scenario runs on (the bare one for install tasks). */
function clusterOfTarget(target: TerminalTarget): ActiveCluster {
  const active = resolveActiveCluster();
  const t = targetOf(target);
  if (t.kind !== "scenario") return examCluster(active);
  const loaded = loadScenario(t.id);
  return loaded.ok ? clusterForScenario(active, loaded.scenario) : active;
}

function startSession(target: TerminalTarget, config: TerminalConfig, endsAt?: number): TerminalSession {
  const { pty, banner, envMarker } = spawnShell(target, clusterOfTarget(target), config.workspacesDir);
  const session: TerminalSession = {
    key: terminalKey(target),
    pty,
    envMarker,
    scrollback: [],
    scrollbackChars: 0,
    isPaused: false,
    isLeaving: false,
    hasEnded: false,
    idleTimer: setTimeout(() => {
      endSession(session, TERMINAL_CLOSE.ended, `terminal closed after ${formatMinutes(config.idleMs)} without input`);
    }, config.idleMs).unref(),
  };
  if (endsAt !== undefined) {
    session.deadlineTimer = setTimeout(
      () => endSession(session, TERMINAL_CLOSE.timeUp, "time is up: the exam's terminal is closed"),
      Math.min(MAX_TIMER_MS, Math.max(0, endsAt - Date.now())),
    ).unref();
  }
  sessions().set(session.key, session);
  appendScrollback(session, banner);
  pty.onData((data) => {
    appendScrollback(session, data);
    sendOutput(session, data);
  });
  pty.onExit(() => endSession(session, TERMINAL_CLOSE.exited, "process exited"));
  return session;
}

function handleMessage(session: TerminalSession, frame: string, config: TerminalConfig): void {
  const message = parseClientMessage(frame);
  if (!message || session.hasEnded) return;
  if (message.type === "input") {
    session.pty.write(message.data);
    session.idleTimer.refresh();
  } else if (message.type === "resize") {
    try {
      session.pty.resize(message.cols, message.rows);
    } catch {
      // the pty closed between the shell's exit and its exit event
    }
  } else {
    // A reload also sends `leave` (pagehide cannot tell the two apart): wait briefly for a reattach.
    session.isLeaving = true;
    scheduleEnd(session, config.leaveMs);
  }
}

function sendOutput(session: TerminalSession, data: string): void {
  const socket = session.socket;
  if (!socket || socket.readyState !== socket.OPEN) return;
  socket.send(data, () => {
    if (session.socket === socket && socket.bufferedAmount < LOW_WATER_BYTES) resumeOutput(session);
  });
  if (!session.isPaused && socket.bufferedAmount > HIGH_WATER_BYTES) {
    session.pty.pause();
    session.isPaused = true;
  }
}

function resumeOutput(session: TerminalSession): void {
  if (!session.isPaused || session.hasEnded) return;
  session.pty.resume();
  session.isPaused = false;
}

function appendScrollback(session: TerminalSession, data: string): void {
  session.scrollback.push(data);
  session.scrollbackChars += data.length;
  while (session.scrollbackChars > SCROLLBACK_CHARS && session.scrollback.length > 1) {
    session.scrollbackChars -= session.scrollback.shift()!.length;
  }
  if (session.scrollbackChars > SCROLLBACK_CHARS) {
    session.scrollback[0] = session.scrollback[0].slice(-SCROLLBACK_CHARS);
    session.scrollbackChars = session.scrollback[0].length;
  }
}

function scheduleEnd(session: TerminalSession, delayMs: number): void {
  clearTimeout(session.endTimer);
  session.endTimer = setTimeout(() => endSession(session, TERMINAL_CLOSE.ended, "terminal closed"), delayMs).unref();
}

function endSession(session: TerminalSession, code: number, reason: string): Promise<unknown> {
  if (session.hasEnded) return Promise.resolve();
  session.hasEnded = true;
  clearTimeout(session.endTimer);
  clearTimeout(session.idleTimer);
  clearTimeout(session.deadlineTimer);
  if (sessions().get(session.key) === session) sessions().delete(session.key);
  const socket = session.socket;
  session.socket = undefined;
  if (socket && socket.readyState === socket.OPEN) {
    socket.send(`\r\n[${reason}]\r\n`);
    socket.close(code, reason);
  }
  // Also after the shell exited by itself: its background jobs may still run.
  // SIGHUP, then SIGTERM and SIGKILL for what is still alive a few seconds later.
  const ended = endProcessSession({
    sessionId: session.pty.pid,
    envMarker: session.envMarker,
    listSpared: listLiteClusterPids,
  })
    .catch(() => []) // nobody awaits a Reset's: it must not reject
    .finally(() => ending().delete(ended));
  ending().add(ended);
  return ended;
}

/**
 * The lite cluster's processes, which a learner may start from the terminal (`npm run cluster --
 * up`): they carry the shell's marker, but belong to the cluster, not to the shell.
 */
function listLiteClusterPids(): number[] {
  try {
    return (readLiteState()?.processes ?? []).filter(isRecordedProcessRunning).map((p) => p.pid);
  } catch {
    return []; // no lite cluster to spare
  }
}

function formatMinutes(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 1 ? `${minutes} min` : `${Math.round(ms / 1000)} s`;
}

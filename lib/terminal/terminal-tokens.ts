// Terminal tokens per scenario, or per exam sitting: the page gets one while rendering and the
// WebSocket upgrade must present it. No token, no shell. Kept on globalThis (see global-singleton.ts).
// An exam's tokens stop at its deadline (the terminal closes then) and are revoked when it ends.
//
// Every render issues a token (reloads, other tabs, prefetches), and most never connect, so
// unused ones are capped per scenario. A token that opened the terminal belongs to a live page,
// which needs it again to reconnect (a dropped socket, Reconnect after another tab took over):
// it does not count against that cap and stays valid 12 hours after its last use.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { getGlobalSingleton } from "./global-singleton";
import { parseTerminalTarget, type TerminalTarget, targetOf, terminalKey } from "./terminal-target";

const TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
/** beyond this many tokens of a scenario that never connected, the oldest drop out */
const MAX_UNUSED_TOKENS_PER_SCENARIO = 32;
/** a bound on memory only: each needs an upgrade that passed the Origin check */
const MAX_USED_TOKENS_PER_SCENARIO = 1024;

interface IssuedToken {
  digest: Buffer;
  /** issue time, then the time of the last use: valid until TOKEN_TTL_MS after it */
  lastActiveAt: number;
  hasBeenUsed: boolean;
  /** an exam's deadline (epoch ms): never valid from then on, whatever its use */
  endsAt?: number;
}

/** What a valid token opens: the target's shell, until its deadline if it has one. */
export interface TerminalGrant {
  target: TerminalTarget;
  /** epoch ms: the shell ends then (an exam's deadline) */
  endsAt?: number;
}

const issued = () => getGlobalSingleton("ica-practice.terminal.tokens", () => new Map<string, IssuedToken[]>());

// Digests have a fixed length, so timingSafeEqual never sees unequal lengths.
const digest = (token: string) => createHash("sha256").update(token).digest();

const isLive = (t: IssuedToken, now: number) =>
  t.lastActiveAt + TOKEN_TTL_MS > now && (t.endsAt === undefined || now < t.endsAt);

/**
 * A random token (32 bytes, base64url) that opens this scenario's terminal (a bare id), or this
 * exam's, for 12 hours; an exam's only until `endsAt`.
 */
export function issueTerminalToken(target: TerminalTarget | string, options: { endsAt?: Date } = {}): string {
  const parsed = parseTerminalTarget(target);
  if (!parsed) {
    const what = targetOf(target).kind === "scenario" ? "a scenario id" : "an exam sitting's id";
    throw new Error(`not ${what}: ${JSON.stringify(targetOf(target).id)}`);
  }
  const key = terminalKey(parsed);
  const now = Date.now();
  const token = randomBytes(32).toString("base64url");
  const live = (issued().get(key) ?? []).filter((t) => isLive(t, now));
  const endsAt = options.endsAt?.getTime();
  live.push({
    digest: digest(token),
    lastActiveAt: now,
    hasBeenUsed: false,
    ...(endsAt === undefined ? {} : { endsAt }),
  });
  const unused = live.filter((t) => !t.hasBeenUsed).slice(-MAX_UNUSED_TOKENS_PER_SCENARIO);
  const used = live
    .filter((t) => t.hasBeenUsed)
    .sort((a, b) => a.lastActiveAt - b.lastActiveAt)
    .slice(-MAX_USED_TOKENS_PER_SCENARIO);
  issued().set(key, [...used, ...unused]);
  return token;
}

/**
 * Whether the token was issued for this target and is still valid; compares in constant time.
 * The upgrade is its only caller, so a valid token counts as used from now on.
 */
export function verifyTerminalToken(target: TerminalTarget | string, token: string): boolean {
  return grantTerminal(target, token) !== undefined;
}

/** As verifyTerminalToken, with what the token opens: the target and its deadline. */
export function grantTerminal(target: TerminalTarget | string, token: string): TerminalGrant | undefined {
  const parsed = parseTerminalTarget(target);
  const found = parsed && findLiveToken(parsed, token);
  if (!parsed || !found) return undefined;
  markUsed(found);
  return { target: parsed, ...(found.endsAt === undefined ? {} : { endsAt: found.endsAt }) };
}

/** The page's socket closed: its token stays valid 12 hours from now, for the page to reconnect. */
export function recordTerminalTokenUse(target: TerminalTarget | string, token: string): void {
  const parsed = parseTerminalTarget(target);
  const found = parsed && findLiveToken(parsed, token);
  if (found) markUsed(found);
}

/** Every token of the target stops working (an exam ended): no page can open its shell again. */
export function revokeTerminalTokens(target: TerminalTarget | string): void {
  const parsed = parseTerminalTarget(target);
  if (parsed) issued().delete(terminalKey(parsed));
}

function markUsed(t: IssuedToken): void {
  t.hasBeenUsed = true;
  t.lastActiveAt = Math.max(t.lastActiveAt, Date.now());
}

function findLiveToken(target: TerminalTarget, token: string): IssuedToken | undefined {
  const candidates = issued().get(terminalKey(target));
  if (!candidates || token.length === 0) return undefined;
  const presented = digest(token);
  const now = Date.now();
  let found: IssuedToken | undefined;
  for (const t of candidates) if (timingSafeEqual(t.digest, presented) && isLive(t, now)) found = t;
  return found;
}

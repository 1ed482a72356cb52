// Per-scenario terminal tokens: the page gets one while rendering and the WebSocket upgrade must
// present it. No token, no shell. Kept on globalThis (see global-singleton.ts).
//
// Every render issues a token (reloads, other tabs, prefetches), and most never connect, so
// unused ones are capped per scenario. A token that opened the terminal belongs to a live page,
// which needs it again to reconnect (a dropped socket, Reconnect after another tab took over):
// it does not count against that cap and stays valid 12 hours after its last use.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ZScenarioId } from "../scenarios/schema";
import { getGlobalSingleton } from "./global-singleton";

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
}

const issued = () => getGlobalSingleton("ica-practice.terminal.tokens", () => new Map<string, IssuedToken[]>());

// Digests have a fixed length, so timingSafeEqual never sees unequal lengths.
const digest = (token: string) => createHash("sha256").update(token).digest();

const isLive = (t: IssuedToken, now: number) => t.lastActiveAt + TOKEN_TTL_MS > now;

/** A random token (32 bytes, base64url) that opens this scenario's terminal for 12 hours. */
export function issueTerminalToken(scenarioId: string): string {
  if (!ZScenarioId.safeParse(scenarioId).success) throw new Error(`not a scenario id: ${JSON.stringify(scenarioId)}`);
  const now = Date.now();
  const token = randomBytes(32).toString("base64url");
  const live = (issued().get(scenarioId) ?? []).filter((t) => isLive(t, now));
  live.push({ digest: digest(token), lastActiveAt: now, hasBeenUsed: false });
  const unused = live.filter((t) => !t.hasBeenUsed).slice(-MAX_UNUSED_TOKENS_PER_SCENARIO);
  const used = live
    .filter((t) => t.hasBeenUsed)
    .sort((a, b) => a.lastActiveAt - b.lastActiveAt)
    .slice(-MAX_USED_TOKENS_PER_SCENARIO);
  issued().set(scenarioId, [...used, ...unused]);
  return token;
}

/**
 * Whether the token was issued for this scenario and is still valid; compares in constant time.
 * The upgrade is its only caller, so a valid token counts as used from now on.
 */
export function verifyTerminalToken(scenarioId: string, token: string): boolean {
  const found = findLiveToken(scenarioId, token);
  if (found) markUsed(found);
  return found !== undefined;
}

/** The page's socket closed: its token stays valid 12 hours from now, for the page to reconnect. */
export function recordTerminalTokenUse(scenarioId: string, token: string): void {
  const found = findLiveToken(scenarioId, token);
  if (found) markUsed(found);
}

function markUsed(t: IssuedToken): void {
  t.hasBeenUsed = true;
  t.lastActiveAt = Math.max(t.lastActiveAt, Date.now());
}

function findLiveToken(scenarioId: string, token: string): IssuedToken | undefined {
  if (!ZScenarioId.safeParse(scenarioId).success) return undefined;
  const candidates = issued().get(scenarioId);
  if (!candidates || token.length === 0) return undefined;
  const presented = digest(token);
  const now = Date.now();
  let found: IssuedToken | undefined;
  for (const t of candidates) if (timingSafeEqual(t.digest, presented) && isLive(t, now)) found = t;
  return found;
}

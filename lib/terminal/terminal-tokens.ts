// Per-scenario terminal tokens: the page gets one while rendering and the WebSocket upgrade must
// present it. No token, no shell. Kept on globalThis (see global-singleton.ts).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ZScenarioId } from "../scenarios/schema";
import { getGlobalSingleton } from "./global-singleton";

const TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
/** every render issues one; older ones of the same scenario drop out beyond this */
const MAX_TOKENS_PER_SCENARIO = 32;

interface IssuedToken {
  digest: Buffer;
  expiresAt: number;
}

const issued = () => getGlobalSingleton("ica-practice.terminal.tokens", () => new Map<string, IssuedToken[]>());

// Digests have a fixed length, so timingSafeEqual never sees unequal lengths.
const digest = (token: string) => createHash("sha256").update(token).digest();

/** A random token (32 bytes, base64url) that opens this scenario's terminal for 12 hours. */
export function issueTerminalToken(scenarioId: string): string {
  if (!ZScenarioId.safeParse(scenarioId).success) throw new Error(`not a scenario id: ${JSON.stringify(scenarioId)}`);
  const now = Date.now();
  const token = randomBytes(32).toString("base64url");
  const live = (issued().get(scenarioId) ?? []).filter((t) => t.expiresAt > now);
  live.push({ digest: digest(token), expiresAt: now + TOKEN_TTL_MS });
  issued().set(scenarioId, live.slice(-MAX_TOKENS_PER_SCENARIO));
  return token;
}

/** Whether the token was issued for this scenario and has not expired; compares in constant time. */
export function verifyTerminalToken(scenarioId: string, token: string): boolean {
  if (!ZScenarioId.safeParse(scenarioId).success) return false;
  const candidates = issued().get(scenarioId);
  if (!candidates || token.length === 0) return false;
  const presented = digest(token);
  const now = Date.now();
  let isValid = false;
  for (const t of candidates) if (timingSafeEqual(t.digest, presented) && t.expiresAt > now) isValid = true;
  return isValid;
}

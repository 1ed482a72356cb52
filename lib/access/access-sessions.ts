// Login sessions: a random value in an HttpOnly, SameSite=Strict cookie; the server keeps only
// its hash, in memory on globalThis (server.ts checks it, the login route in Next's bundle makes
// it). A restart ends every session (log in again with the secret); nothing to sign or rotate.
import { createHash, randomBytes } from "node:crypto";
import { getGlobalSingleton } from "../terminal/global-singleton";

export const SESSION_COOKIE = "ica_session";
const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** a bound on memory: beyond it the oldest session ends */
const MAX_SESSIONS = 1000;

/** hash → expiry; a Map keeps insertion order, so the first key is the oldest */
const sessions = () => getGlobalSingleton("ica-practice.access.sessions", () => new Map<string, number>());

// The key is the SHA-256 of 32 random bytes: a lookup's timing tells nothing usable.
const keyOf = (value: string) => createHash("sha256").update(value).digest("base64url");

/** A new session; returns the cookie value. */
export function startAccessSession(now = Date.now()): string {
  const value = randomBytes(32).toString("base64url");
  const store = sessions();
  for (const [key, expiresAt] of store) if (expiresAt <= now) store.delete(key);
  while (store.size >= MAX_SESSIONS) store.delete(store.keys().next().value as string);
  store.set(keyOf(value), now + SESSION_TTL_MS);
  return value;
}

export function isAccessSessionValid(value: string | undefined, now = Date.now()): boolean {
  if (!value) return false;
  const expiresAt = sessions().get(keyOf(value));
  return expiresAt !== undefined && expiresAt > now;
}

/** The session cookie's value in a Cookie header, if any. */
export function readSessionCookie(header: string | undefined | null): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=");
  }
  return undefined;
}

/** The Set-Cookie value for a new session; `Secure` when the page came over https. */
export function sessionCookie(value: string, isHttps: boolean): string {
  const maxAge = Math.floor(SESSION_TTL_MS / 1000);
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${isHttps ? "; Secure" : ""}`;
}

import { isLoopback } from "../env";

/** Normalized like a browser's Origin header (`new URL(...).origin`), or undefined. */
export function normalizeOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).origin;
  } catch {
    return undefined;
  }
}

/**
 * Origins whose pages may open the terminal: the server's own http://HOST:PORT, the loopback
 * names when it listens on loopback (or on every address), and any extra ones (a reverse proxy).
 * Checking Origin is what stops another site, or a DNS-rebound name, from using a token.
 */
export function listAllowedOrigins(host: string, port: number, extra: readonly string[] = []): string[] {
  const bracketed = (h: string) => (h.includes(":") ? `[${h}]` : h);
  const origins = [`http://${bracketed(host)}:${port}`];
  if (isLoopback(host) || host === "0.0.0.0" || host === "::") {
    for (const h of ["localhost", "127.0.0.1", "[::1]"]) origins.push(`http://${h}:${port}`);
  }
  origins.push(...extra);
  return [...new Set(origins.map(normalizeOrigin).filter((o): o is string => o !== undefined))];
}

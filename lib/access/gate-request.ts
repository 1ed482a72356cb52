// What server.ts lets through to Next, decided before Next sees a request: the Host allow-list,
// the body limit, then the login. A pure function of the request's line and headers.
import type { IncomingHttpHeaders } from "node:http";
import type { TAccessConfig } from "./access-config";
import { isAccessSessionValid, readSessionCookie } from "./access-sessions";
import { isAllowedHost } from "./host-allow-list";

/** Check's body is a task id; nothing the app takes comes near this. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Sent on every response: no page of this server may be framed (clickjacking the terminal). */
export const FRAME_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
};

export interface TRequestLine {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

export type TGateDecision =
  | { pass: true }
  | { pass: false; status: number; headers: Record<string, string>; body: string };

/** The login page, its form's handler and the static files that page loads. Matched on the raw path. */
function isOpenWithoutLogin(method: string, rawPath: string): boolean {
  if (rawPath === "/login" || rawPath === "/favicon.ico") return method === "GET" || method === "HEAD";
  if (rawPath === "/api/login") return method === "POST";
  return (
    (method === "GET" || method === "HEAD") &&
    /^\/_next\/static\/[A-Za-z0-9_~.-]+(\/[A-Za-z0-9_~.-]+)*$/.test(rawPath) &&
    !rawPath.includes("..")
  );
}

const text = (status: number, body: string, headers: Record<string, string> = {}): TGateDecision => ({
  pass: false,
  status,
  headers: { "Content-Type": "text/plain; charset=utf-8", ...headers },
  body: `${body}\n`,
});

export function gateRequest(
  req: TRequestLine,
  config: TAccessConfig,
  { dev = false }: { dev?: boolean } = {},
): TGateDecision {
  if (!isAllowedHost(req.headers.host, config)) {
    return text(403, "Forbidden: this server does not answer to that host name (see ICA_ALLOWED_HOSTS)");
  }
  const method = (req.method ?? "GET").toUpperCase();
  const rawPath = (req.url ?? "/").split("?")[0];

  // Every body must say its length, so the limit holds before anything is read (Next's dev
  // overlay posts stack frames, and is exempt in development).
  if (!(dev && rawPath.startsWith("/__nextjs"))) {
    if (req.headers["transfer-encoding"] !== undefined) return text(411, "Length Required", { Connection: "close" });
    const length = Number(req.headers["content-length"] ?? 0);
    if (!Number.isFinite(length) || length > MAX_BODY_BYTES) {
      return text(413, `Payload Too Large: at most ${MAX_BODY_BYTES} bytes`, { Connection: "close" });
    }
  }

  if (!config.isLoginRequired || isOpenWithoutLogin(method, rawPath)) return { pass: true };
  if (isAccessSessionValid(readSessionCookie(req.headers.cookie))) return { pass: true };
  if (rawPath.startsWith("/api/")) {
    return {
      pass: false,
      status: 401,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ error: "log in first: /login" }),
    };
  }
  return { pass: false, status: 303, headers: { Location: "/login" }, body: "" };
}

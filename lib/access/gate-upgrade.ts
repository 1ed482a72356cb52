// Where a WebSocket upgrade goes: the terminal, Next's hot reload (development only), or a
// refusal written on the raw socket. Anything else would be handed to Next, which in production
// neither answers nor closes it: sockets pile up until the process runs out of descriptors.
import type { Duplex } from "node:stream";
import { TERMINAL_PATH } from "../terminal/protocol";
import type { TAccessConfig } from "./access-config";
import { isAccessSessionValid, readSessionCookie } from "./access-sessions";
import type { TRequestLine } from "./gate-request";
import { isAllowedHost } from "./host-allow-list";

/** Next 16's hot-reload socket (node_modules/next/dist/server/lib/router-server.js, `/_next/hmr`). */
export const NEXT_HMR_PATH = "/_next/hmr";

export type TUpgradeRoute = { to: "terminal" } | { to: "next" } | { refuse: 401 | 403 | 404 };

export function gateUpgrade(req: TRequestLine, config: TAccessConfig, { dev }: { dev: boolean }): TUpgradeRoute {
  if (!isAllowedHost(req.headers.host, config)) return { refuse: 403 };
  const route = routeOf(req.url, dev);
  if (!route) return { refuse: 404 };
  if (config.isLoginRequired && !isAccessSessionValid(readSessionCookie(req.headers.cookie))) return { refuse: 401 };
  return route;
}

function routeOf(rawUrl: string | undefined, dev: boolean): TUpgradeRoute | undefined {
  const raw = rawUrl ?? "/";
  // parsed the way the terminal's handler parses it
  let pathname: string;
  try {
    pathname = new URL(raw, "http://localhost").pathname;
  } catch {
    return undefined;
  }
  if (pathname === TERMINAL_PATH) return { to: "terminal" };
  // matched the way Next matches it (a prefix of the raw URL)
  if (dev && raw.startsWith(NEXT_HMR_PATH)) return { to: "next" };
  return undefined;
}

const REASONS = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" } as const;

/** Answers a refused upgrade with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404): void {
  const body = `${REASONS[status]}\n`;
  socket.on("error", () => socket.destroy());
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
}

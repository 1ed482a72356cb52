// The terminal's WebSocket endpoint, for the custom server's `upgrade` event. A refused upgrade
// gets a plain HTTP status on the raw socket and never spawns anything.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { normalizeOrigin } from "./allowed-origins";
import { TERMINAL_PATH } from "./protocol";
import { attachTerminal } from "./terminal-sessions";
import { targetOfQuery } from "./terminal-target";
import { grantTerminal, recordTerminalTokenUse } from "./terminal-tokens";

const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });

export interface TerminalUpgradeOptions {
  /** from listAllowedOrigins() */
  allowedOrigins: readonly string[];
}

/**
 * Handles upgrades for /api/terminal (`?scenario=<id>&token=…`, or `?exam=<sitting id>&token=…`)
 * and returns true; false for any other path (Next's).
 */
export function handleTerminalUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  { allowedOrigins }: TerminalUpgradeOptions,
): boolean {
  const url = parseRequestUrl(req.url);
  if (url?.pathname !== TERMINAL_PATH) return false;
  socket.on("error", () => socket.destroy());

  const origin = req.headers.origin === undefined ? undefined : normalizeOrigin(req.headers.origin);
  if (!origin || !allowedOrigins.includes(origin)) {
    refuse(socket, 403, "Forbidden");
    return true;
  }
  const target = targetOfQuery(url.searchParams);
  const token = url.searchParams.get("token") ?? "";
  const grant = target && grantTerminal(target, token);
  if (!grant) {
    refuse(socket, 401, "Unauthorized");
    return true;
  }
  // the page keeps its token to reconnect: valid for 12 hours after its socket closed
  socket.once("close", () => recordTerminalTokenUse(grant.target, token));
  wss.handleUpgrade(req, socket, head, (ws) => attachTerminal(grant.target, ws, { endsAt: grant.endsAt }));
  return true;
}

function parseRequestUrl(raw: string | undefined): URL | undefined {
  try {
    return new URL(raw ?? "/", "http://localhost");
  } catch {
    return undefined;
  }
}

function refuse(socket: Duplex, status: 401 | 403, text: string): void {
  const body = `${text}\n`;
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
}

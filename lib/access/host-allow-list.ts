// Which Host headers the server answers. A DNS-rebinding page talks to this server under the
// attacker's own name, so its requests carry that name as Host: only names on this list get in.
// Loopback names always; the server's own HOST when it is not loopback (and, on a wildcard bind,
// this machine's addresses: an IP literal cannot be rebound); ICA_ALLOWED_HOSTS.
import { networkInterfaces } from "node:os";
import { isLoopback } from "../env";

/** A Host header's parts: the name (lowercase, IPv6 without brackets) and the port when given. */
export interface THostName {
  hostname: string;
  port?: number;
}

/** An allowed name; without a port it matches the server's own port or none. */
export type TAllowedHost = THostName;

const HOST_PATTERN = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5}))?$/i;

/** Parses `name`, `name:port`, `[v6]`, `[v6]:port`; undefined for anything else. */
export function parseHostName(value: string): THostName | undefined {
  const match = HOST_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const hostname = match[1].replace(/^\[|\]$/g, "").toLowerCase();
  if (match[2] === undefined) return { hostname };
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { hostname, port } : undefined;
}

/** localhost, ::1, 127.x.y.z */
export function isLoopbackName(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "::1") return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return octets?.slice(1).every((o) => Number(o) <= 255) ?? false;
}

const isWildcard = (host: string) => host === "0.0.0.0" || host === "::" || host === "[::]";

/** This machine's interface addresses (IPv6 without a zone), for a server bound to every address. */
export function listInterfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address.toLowerCase().replace(/%.*$/, ""));
}

/**
 * The allowed names besides the loopback ones: the server's HOST when it is not loopback, this
 * machine's addresses when HOST is a wildcard, and the extra names (ICA_ALLOWED_HOSTS).
 */
export function listAllowedHosts(
  host: string,
  extra: readonly string[] = [],
  interfaceAddresses: () => string[] = listInterfaceAddresses,
): TAllowedHost[] {
  const allowed: TAllowedHost[] = [];
  const own = parseHostName(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
  if (own && !isLoopback(host)) allowed.push({ hostname: own.hostname });
  if (isWildcard(host)) {
    for (const address of interfaceAddresses()) if (!isLoopbackName(address)) allowed.push({ hostname: address });
  }
  for (const entry of extra) {
    const parsed = parseHostName(entry);
    if (parsed) allowed.push(parsed);
  }
  return allowed;
}

/** Whether a request's Host header names this server: a loopback name or an allowed one. */
export function isAllowedHost(
  header: string | null | undefined,
  { port, allowedHosts }: { port: number; allowedHosts: readonly TAllowedHost[] },
): boolean {
  const parsed = header ? parseHostName(header) : undefined;
  if (!parsed) return false;
  const isOwnPort = parsed.port === undefined || parsed.port === port;
  if (isLoopbackName(parsed.hostname)) return isOwnPort;
  return allowedHosts.some(
    (a) => a.hostname === parsed.hostname && (a.port === undefined ? isOwnPort : parsed.port === a.port),
  );
}

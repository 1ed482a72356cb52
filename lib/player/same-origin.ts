import { readAccessConfig } from "../access/access-config";
import { isAllowedHost } from "../access/host-allow-list";
import type { EnvSource } from "../env";

/**
 * State-changing requests must come from our own pages: a foreign site could otherwise make
 * the browser POST to 127.0.0.1 and reset a learner's cluster. Origin must match Host, and Host
 * must be one this server answers to: a DNS-rebinding page controls both headers, but its Host is
 * its own name, which is not on the allow-list (server.ts refuses it first; this holds on its own).
 */
export function isSameOrigin(headers: Headers, env: EnvSource = process.env): boolean {
  const origin = headers.get("origin");
  const host = headers.get("host");
  if (!origin || !host || !isAllowedHost(host, readAccessConfig(env))) return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

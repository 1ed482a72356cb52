// Which hosts an Istio Gateway serves to which VirtualServices (Gateway Server.hosts).
import type { KubeObject } from "../cluster/types";
import { arr, rec, specOf, strs } from "./fields";
import { hostsOverlap } from "./hosts";

/** Every `hosts` entry of every server of a Gateway, as written. */
export function gatewayServerHosts(gateway: KubeObject): string[] {
  return arr(specOf(gateway).servers).flatMap((s) => strs(rec(s).hosts));
}

/**
 * Does a server host entry let a VirtualService of `vsNamespace` bind `host`? Entries are `host`,
 * `ns/host`, `./host` (the Gateway's own namespace) or `*\/host`; the host part may be a wildcard.
 */
export function serverHostAdmits(entry: string, vsNamespace: string, gatewayNamespace: string, host: string): boolean {
  const slash = entry.indexOf("/");
  const ns = slash >= 0 ? entry.slice(0, slash) : "*";
  const h = slash >= 0 ? entry.slice(slash + 1) : entry;
  const nsOk = ns === "*" || ns === vsNamespace || (ns === "." && vsNamespace === gatewayNamespace);
  return nsOk && hostsOverlap(h.toLowerCase(), host.toLowerCase());
}

/**
 * Why a gateway running this Gateway does not route `host` for a VirtualService of `vsNamespace`
 * (no server accepts the host, or none from that namespace), or undefined when one does. Istio
 * builds a gateway's routes only for the hosts its servers and the bound VirtualServices share.
 */
export function gatewayRefusal(gateway: KubeObject, vsNamespace: string, host: string): string | undefined {
  const entries = gatewayServerHosts(gateway);
  const gwNs = gateway.metadata.namespace ?? "";
  if (entries.some((e) => serverHostAdmits(e, vsNamespace, gwNs, host))) return undefined;
  const label = `Gateway ${gwNs}/${gateway.metadata.name}`;
  const written = entries.map((e) => `"${e}"`).join(", ") || "none";
  const anyNamespace = entries.some((e) => serverHostAdmits(e.slice(e.indexOf("/") + 1), vsNamespace, gwNs, host));
  return anyNamespace
    ? `no server of ${label} accepts ${host} from namespace ${vsNamespace} (its hosts are ${written})`
    : `no server of ${label} accepts ${host} (its hosts are ${written})`;
}

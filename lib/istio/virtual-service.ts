// Which VirtualService applies to a host: gateway references, exportTo and Istio's precedence.
import type { KubeObject } from "../cluster/types";
import { isExportedTo } from "./export-to";
import { arr, compareAge, specOf, str, strs } from "./fields";
import { hostCovers, resolveHost } from "./hosts";
import { virtualServiceProblems } from "./validation";

export const MESH_GATEWAY = "mesh";

/**
 * A gateway reference as written in a VirtualService in `namespace`: `gw` → `<namespace>/gw`,
 * `ns/gw` kept, `mesh` kept, the legacy `gw.ns.svc.cluster.local` → `ns/gw`.
 */
export function resolveGatewayRef(ref: string, namespace: string): string {
  const r = ref.trim();
  if (r.startsWith("./")) return `${namespace}/${r.slice(2)}`; // Istio's ResolveGatewayName
  if (r === MESH_GATEWAY || r.includes("/")) return r;
  if (r.includes(".")) {
    const [name, ns] = r.split(".");
    return `${ns}/${name}`;
  }
  return `${namespace}/${r}`;
}

/** The gateways a VirtualService is bound to, resolved; none written means `mesh` only. */
export function gatewaysOf(vs: KubeObject): string[] {
  const written = strs(specOf(vs).gateways);
  if (written.length === 0) return [MESH_GATEWAY];
  return written.map((g) => resolveGatewayRef(g, vs.metadata.namespace ?? ""));
}

export interface VsHost {
  written: string;
  resolved: string;
}

export function hostsOf(vs: KubeObject): VsHost[] {
  const ns = vs.metadata.namespace ?? "";
  return strs(specOf(vs).hosts).map((h) => ({ written: h, resolved: resolveHost(h, ns) }));
}

/** A delegate has no hosts; it only takes effect through a root's `http[].delegate`. */
export function isDelegate(vs: KubeObject): boolean {
  return arr(specOf(vs).hosts).length === 0;
}

/** Does the VirtualService name this resolved host (exactly or by wildcard)? */
export function vsAppliesToHost(vs: KubeObject, host: string): boolean {
  return hostsOf(vs).some((h) => hostCovers(h.resolved, host));
}

export interface VsSelection {
  /** For sidecars: the one VirtualService whose rules apply. Undefined for gateways (all apply). */
  winner?: KubeObject;
  /** Every VirtualService bound to the gateway that names the host, in precedence order. */
  candidates: KubeObject[];
  /** For sidecars: the candidates whose rules Istio silently drops. */
  ignored: KubeObject[];
}

/**
 * The VirtualServices for `host` (resolved) as seen from `clientNamespace` through `gateway`
 * (`mesh` = sidecars). For sidecars one wins: private to the client namespace first, then
 * exported to it, then public; within a group the oldest (creationTimestamp, name, namespace).
 * For a gateway the rules of all candidates are appended. A VirtualService Istio's validation
 * rejects is left out: it never reaches the cluster.
 */
export function selectVirtualServices(
  virtualServices: readonly KubeObject[],
  host: string,
  clientNamespace: string,
  gateway: string = MESH_GATEWAY,
): VsSelection {
  const bound = virtualServices.filter(
    (vs) =>
      !isDelegate(vs) &&
      gatewaysOf(vs).includes(gateway) &&
      vsAppliesToHost(vs, host) &&
      isExportedTo(vs, clientNamespace) &&
      virtualServiceProblems(vs).length === 0,
  );
  const candidates = [...bound].sort(
    (a, b) => precedenceGroup(a, clientNamespace) - precedenceGroup(b, clientNamespace) || compareAge(a, b),
  );
  if (gateway !== MESH_GATEWAY) return { candidates, ignored: [] };
  return { winner: candidates[0], candidates, ignored: candidates.slice(1) };
}

/** 0: private to the client namespace, 1: exported to it by name, 2: public. */
function precedenceGroup(vs: KubeObject, clientNamespace: string): number {
  const exportTo = strs(specOf(vs).exportTo);
  if (exportTo.length === 0 || exportTo.includes("*")) return 2;
  const own = vs.metadata.namespace;
  if (own === clientNamespace && exportTo.some((e) => e === "." || e === own)) return 0;
  return 1;
}

export function vsLabel(vs: KubeObject): string {
  return `VirtualService ${vs.metadata.namespace}/${str(vs.metadata.name)}`;
}

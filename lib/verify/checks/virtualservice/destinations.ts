// What a route or mirror destination really reaches: the Service port it names (a port the
// Service lacks answers 503), and the pods a subset selects (a subset is what its labels
// select, whatever its name).
import { K } from "../../../cluster/kinds";
import type { KindRef, KubeObject } from "../../../cluster/types";
import { findDestinationRule } from "../../../istio/destination-rule";
import { arr, describeObject, labelsOf, num, rec, strMap } from "../../../istio/fields";
import { parseServiceHost } from "../../../istio/hosts";
import { isPodRunningOrPending, templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import type { Snapshot } from "../../types";
import { listText, rootNamespace } from "../common";

/** The kinds the destination helpers read, besides the VirtualServices. */
export const destinationKinds: readonly KindRef[] = [
  K.service,
  K.destinationRule,
  K.configMap,
  K.pod,
  K.deployment,
  K.daemonSet,
];

export function serviceOf(snapshot: Snapshot, host: string): KubeObject | undefined {
  const svc = parseServiceHost(host);
  return svc ? snapshot.get(K.service, svc.name, svc.namespace) : undefined;
}

/**
 * Why a destination's `port.number` reaches nothing: Istio builds the Envoy cluster
 * `outbound|<port>|<subset>|<host>` from it, and a port the Service lacks answers 503. Undefined
 * when the port is unset, the Service has it, or the host is not a Service in sight.
 */
export function portProblem(snapshot: Snapshot, host: string, port: number | undefined): string | undefined {
  if (port === undefined) return undefined;
  const service = serviceOf(snapshot, host);
  if (!service) return undefined;
  const ports = arr(rec(service.spec).ports)
    .map((p) => num(rec(p).port))
    .filter((p): p is number => p !== undefined);
  if (ports.includes(port)) return undefined;
  return `is ${port}, but ${describeObject(service)} has no port ${port} (it has ${listText(ports.map(String)) || "none"}), so the request gets 503`;
}

/** Pods (running or pending) and workload pod templates behind a Service. */
function backendsOf(snapshot: Snapshot, service: KubeObject): { labels: Record<string, string>; id: string }[] {
  const selector = strMap(rec(service.spec).selector);
  if (Object.keys(selector).length === 0) return [];
  const ns = service.metadata.namespace;
  const pods = snapshot
    .list(K.pod, ns)
    .filter(isPodRunningOrPending)
    .map((pod) => ({ labels: labelsOf(pod), id: describeObject(pod) }));
  const templates = [...snapshot.list(K.deployment, ns), ...snapshot.list(K.daemonSet, ns)].map((w) => ({
    labels: templateOf(w).labels,
    id: `${describeObject(w)}'s pod template`,
  }));
  return [...pods, ...templates].filter((b) => matchesLabels(selector, b.labels));
}

export interface SubsetIdentity {
  /** the labels of the subset as the DestinationRule the client uses defines them */
  labels?: Record<string, string>;
  /** where the subset is defined: `DestinationRule ns/name spec.subsets[0]` */
  where?: string;
  /** why the subset reaches no pod, when it does not */
  problem?: string;
}

/** The labels a subset of `host` selects for a client in `clientNamespace`. */
export function subsetLabels(
  snapshot: Snapshot,
  host: string,
  subset: string,
  clientNamespace: string,
): SubsetIdentity {
  const dr = findDestinationRule(snapshot.list(K.destinationRule), {
    host,
    clientNamespace,
    rootNamespace: rootNamespace(snapshot),
  });
  if (!dr) return { problem: `no DestinationRule for ${host} applies to namespace ${clientNamespace}` };
  const s = dr.subsets.find((x) => x.name === subset);
  if (!s)
    return { problem: `DestinationRule ${dr.namespace}/${dr.sources[0].metadata.name} defines no subset ${subset}` };
  return { labels: s.labels, where: `${describeObject(s.source)} ${s.path}` };
}

/**
 * Do these subset labels select the same pods as `expected`? By the Service's pods and pod
 * templates when there are any (both must select the same non-empty set); otherwise by the
 * labels themselves, leaving out those the Service's selector already fixes to the same value.
 */
export function selectsSame(
  snapshot: Snapshot,
  host: string,
  labels: Record<string, string>,
  expected: Record<string, string>,
): boolean {
  const service = serviceOf(snapshot, host);
  const backends = service ? backendsOf(snapshot, service) : [];
  if (backends.length > 0) {
    const a = backends.filter((b) => matchesLabels(labels, b.labels)).map((b) => b.id);
    const e = backends.filter((b) => matchesLabels(expected, b.labels)).map((b) => b.id);
    return a.length > 0 && a.length === e.length && a.every((id) => e.includes(id));
  }
  const pinned = service ? strMap(rec(service.spec).selector) : {};
  const strip = (l: Record<string, string>) =>
    Object.entries(l)
      .filter(([k, v]) => pinned[k] !== v)
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(",");
  return strip(labels) === strip(expected);
}

export { formatLabels };

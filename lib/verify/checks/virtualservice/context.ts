// What the VirtualService checks share: which rule a client's request hits, which
// VirtualServices apply to a host, and how a rule's location is written in a message.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KindRef, KubeObject } from "../../../cluster/types";
import type { DelegateProblem, HttpRule } from "../../../istio/delegates";
import { findDestinationRule } from "../../../istio/destination-rule";
import { isExportedTo } from "../../../istio/export-to";
import { arr, describeObject, labelsOf, num, rec, strMap } from "../../../istio/fields";
import { gatewayRefusal } from "../../../istio/gateway-hosts";
import { explainHost, parseServiceHost } from "../../../istio/hosts";
import { describeRequest, type SampleRequest, sampleRequest } from "../../../istio/http-match";
import { isPodRunningOrPending, templateOf } from "../../../istio/injection";
import { matchesLabels } from "../../../istio/labels";
import { type Routing, resolveRouting } from "../../../istio/routing";
import { virtualServiceProblems } from "../../../istio/validation";
import {
  gatewaysOf,
  hostsOf,
  isDelegate,
  MESH_GATEWAY,
  resolveGatewayRef,
  selectVirtualServices,
  vsAppliesToHost,
  vsLabel,
} from "../../../istio/virtual-service";
import type { CheckOutcome, Snapshot } from "../../types";
import {
  evidenceOf,
  fail,
  hostParam,
  listText,
  rootNamespace,
  ZHostParam,
  ZLabels,
  ZNamespace,
  ZPort,
} from "../common";

export const ZStringList = z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string().min(1)));

export const ZRequest = z
  .strictObject({
    path: z.string().startsWith("/").optional().describe("request path, default /"),
    method: z.string().optional().describe("default GET"),
    headers: z.record(z.string(), z.string()).optional(),
    query: z.record(z.string(), z.string()).optional().describe("query parameters"),
    port: ZPort.optional().describe("service port; matches on `port` are ignored when omitted"),
    authority: z.string().optional(),
    sourceLabels: ZLabels.optional().describe("labels of the calling workload (for sourceLabels matches)"),
  })
  .describe("a sample request; the rule it hits is graded, so any equivalent match passes");

type TRequest = z.infer<typeof ZRequest>;

/** A host as a client in `fromNamespace` sees it, through the sidecars or one gateway. */
export const ZHostTarget = z.strictObject({
  host: ZHostParam,
  namespace: ZNamespace.describe("namespace of the service (short hosts resolve here)"),
  fromNamespace: z.string().min(1).optional().describe("namespace of the calling client; default `namespace`"),
  gateway: z
    .string()
    .min(1)
    .optional()
    .describe(
      "grade the routes a gateway applies (`name` in `namespace`, or `ns/name`) instead of the sidecars': only for hosts a server of that Gateway accepts from the VirtualService's namespace; exportTo is then read for the namespace of the gateway's workload (the Gateway's namespace when none is found), not `fromNamespace`",
    ),
});

/** A host and the sample request whose rule is graded. */
export const ZRouteTarget = ZHostTarget.extend({ request: ZRequest.optional() });
export type TRouteTarget = z.infer<typeof ZRouteTarget>;

/**
 * Where a rule is, plus an optional field under it:
 * `VirtualService shop/leaf spec.http[0].route (delegated from VirtualService shop/root spec.http[1])`.
 */
export function ruleLocation(rule: Pick<HttpRule, "vs" | "path" | "via">, field?: string): string {
  const at = `${vsLabel(rule.vs)} ${rule.path}${field ? `.${field}` : ""}`;
  return rule.via ? `${at} (delegated from ${rule.via})` : at;
}

/** A delegation problem Istio drops a rule for, at the rule's location. */
export function describeDelegateProblem(problem: DelegateProblem): string {
  return `${ruleLocation(problem)} ${problem.message}`;
}

export interface RuleContext {
  routing: Routing;
  rule: HttpRule;
  request: SampleRequest;
  host: ReturnType<typeof hostParam>;
  /** `spec.http[0]`, in the VirtualService the rule is written in */
  path: string;
}

/** The kinds a check on a host target reads: a gateway's workloads too when grading through one. */
export function routeKinds(p: { gateway?: string }): readonly KindRef[] {
  return p.gateway ? [K.virtualService, K.gateway, K.pod, K.deployment] : [K.virtualService];
}

/**
 * The namespace of a gateway's proxy, which Istio reads exportTo for (VirtualServicesForGateway
 * takes the proxy's namespace): where the pods, or Deployment pod templates, that the Gateway's
 * selector picks run, the Gateway's own namespace first. With no such workload in sight, the
 * Gateway's own namespace stands in for it.
 */
function gatewayNamespace(snapshot: Snapshot, gatewayRef: string): string {
  const [ns, name] = gatewayRef.split("/");
  const gw = snapshot.get(K.gateway, name, ns);
  const selector = strMap(rec(gw?.spec).selector);
  if (!gw || Object.keys(selector).length === 0) return ns;
  const workloads = [
    ...snapshot.list(K.pod).filter((pod) => matchesLabels(selector, labelsOf(pod))),
    ...snapshot.list(K.deployment).filter((d) => matchesLabels(selector, templateOf(d).labels)),
  ];
  const namespaces = [...new Set(workloads.map((w) => w.metadata.namespace ?? ""))].sort();
  return namespaces.includes(ns) ? ns : (namespaces[0] ?? ns);
}

/** The namespace whose view of the VirtualServices applies: the client's, or the gateway proxy's. */
function viewerNamespace(
  p: { namespace: string; fromNamespace?: string; gateway?: string },
  snapshot: Snapshot,
): string {
  if (!p.gateway) return p.fromNamespace ?? p.namespace;
  return gatewayNamespace(snapshot, resolveGatewayRef(p.gateway, p.namespace));
}

/** The sample request a client in `fromNamespace` sends through `gateway` (default: sidecars). */
function requestOf(
  req: TRequest | undefined,
  fromNamespace: string,
  gateway?: string,
  namespace?: string,
): SampleRequest {
  return sampleRequest({
    uri: req?.path,
    method: req?.method,
    headers: req?.headers,
    queryParams: req?.query,
    port: req?.port,
    authority: req?.authority,
    sourceLabels: req?.sourceLabels,
    sourceNamespace: fromNamespace,
    gateway: gateway ? resolveGatewayRef(gateway, namespace ?? fromNamespace) : MESH_GATEWAY,
  });
}

/** A sample request in words, for messages: `GET /api with header end-user: jason`. */
export function requestText(req: TRequest): string {
  return describeRequest(requestOf(req, ""));
}

export interface RootVirtualServices {
  /** every VirtualService in the snapshot (delegates are looked up among them) */
  vss: KubeObject[];
  host: ReturnType<typeof hostParam>;
  /** the namespace whose view applies: the client's, or the gateway proxy's */
  client: string;
  gateway: string;
  /** every VirtualService bound to the gateway that names the host, in precedence order */
  candidates: KubeObject[];
  /** those whose rules apply: the sidecars' one winner, or every candidate of a gateway */
  roots: KubeObject[];
}

/** The VirtualServices that apply to a host for a client (or gateway), or why there are none. */
export function findRootVirtualServices(
  p: { host: string; namespace: string; fromNamespace?: string; gateway?: string },
  snapshot: Snapshot,
): RootVirtualServices | CheckOutcome {
  const host = hostParam(p.host, p.namespace);
  const client = viewerNamespace(p, snapshot);
  const gateway = p.gateway ? resolveGatewayRef(p.gateway, p.namespace) : MESH_GATEWAY;
  const { vss, refused } = gatewayView(snapshot, gateway, host.resolved);
  const { candidates } = selectVirtualServices(vss, host.resolved, client, gateway);
  const roots = gateway === MESH_GATEWAY ? candidates.slice(0, 1) : candidates;
  if (roots.length === 0) return fail(explainNoVirtualService(vss, host, client, gateway, refused));
  return { vss, host, client, gateway, candidates, roots };
}

export function isOutcome<T extends object>(v: T | CheckOutcome): v is CheckOutcome {
  return "status" in v;
}

/** The rule a sample request hits, or why there is none. */
export function findMatchedRule(p: TRouteTarget, snapshot: Snapshot): RuleContext | CheckOutcome {
  const host = hostParam(p.host, p.namespace);
  const client = viewerNamespace(p, snapshot);
  const request = requestOf(p.request, client, p.gateway, p.namespace);
  const { vss, refused } = gatewayView(snapshot, request.gateway, host.resolved);
  const routing = resolveRouting(vss, host.resolved, client, request);
  if (routing.selection.candidates.length === 0)
    return fail(explainNoVirtualService(vss, host, client, request.gateway, refused));
  if (!routing.matched) {
    const names = listText(
      routing.selection.candidates.slice(0, request.gateway === MESH_GATEWAY ? 1 : undefined).map(vsLabel),
    );
    const problems = routing.problems.map(describeDelegateProblem);
    const why = problems.length > 0 ? ` (${problems.join("; ")})` : "";
    return fail(
      `no rule of ${names} matches ${describeRequest(request)}${why}`,
      routing.selection.candidates.map((vs) => evidenceOf(vs, "spec.http")),
    );
  }
  return { routing, rule: routing.matched, request, host, path: routing.matched.path };
}

/** Grades the rule a sample request hits, or fails saying why there is none. */
export function withMatchedRule(
  p: TRouteTarget,
  snapshot: Snapshot,
  grade: (ctx: RuleContext) => CheckOutcome,
): CheckOutcome {
  const ctx = findMatchedRule(p, snapshot);
  if (isOutcome(ctx)) return ctx;
  let outcome = grade(ctx);
  // A rule Istio dropped (a delegate it cannot use) explains why the request hit another rule.
  const dropped = ctx.routing.problems.map(describeDelegateProblem);
  if (dropped.length > 0 && outcome.status === "fail")
    outcome = { ...outcome, message: `${outcome.message} (Istio drops a rule: ${dropped.join("; ")})` };
  const ignored = ctx.routing.selection.ignored;
  if (ignored.length > 0 && outcome.status === "fail") {
    const used = vsLabel(ctx.routing.selection.candidates[0]);
    return {
      ...outcome,
      message: `${outcome.message} (for host ${ctx.host.text} Istio uses ${used} and ignores ${listText(ignored.map(vsLabel))})`,
    };
  }
  return outcome;
}

/**
 * The VirtualServices a gateway builds routes from for `host`: Istio keeps only the hosts that a
 * server of the Gateway accepts from the VirtualService's namespace (IST0132), and a Gateway that
 * does not exist routes nothing. `refused` says why each VirtualService bound to the gateway for
 * the host was left out. For the sidecars (`mesh`) every VirtualService stays.
 */
function gatewayView(snapshot: Snapshot, gateway: string, host: string): { vss: KubeObject[]; refused: string[] } {
  const all = snapshot.list(K.virtualService);
  if (gateway === MESH_GATEWAY) return { vss: all, refused: [] };
  const [ns, name] = gateway.split("/");
  const gw = snapshot.get(K.gateway, name, ns);
  const refused: string[] = [];
  const vss = all.filter((vs) => {
    if (isDelegate(vs) || !gatewaysOf(vs).includes(gateway) || !vsAppliesToHost(vs, host)) return true;
    const why = gw ? gatewayRefusal(gw, vs.metadata.namespace ?? "", host) : `Gateway ${gateway} does not exist`;
    if (why) refused.push(`${vsLabel(vs)} is bound to ${gateway} and names the host, but ${why}`);
    return why === undefined;
  });
  return { vss, refused };
}

/** Why no VirtualService applies, naming the near misses. */
function explainNoVirtualService(
  vss: readonly KubeObject[],
  host: ReturnType<typeof hostParam>,
  client: string,
  gateway: string,
  refused: readonly string[] = [],
): string {
  const through = gateway === MESH_GATEWAY ? `to clients in namespace ${client}` : `on gateway ${gateway}`;
  const head = `no VirtualService for host ${host.text} applies ${through}`;
  const notes: string[] = [...refused];
  for (const vs of vss) {
    if (isDelegate(vs)) continue;
    const label = vsLabel(vs);
    if (vsAppliesToHost(vs, host.resolved)) {
      const rejected = virtualServiceProblems(vs);
      if (rejected.length > 0) notes.push(`${label} names the host but Istio rejects it: ${rejected.join("; ")}`);
      else if (!gatewaysOf(vs).includes(gateway))
        notes.push(`${label} names the host but spec.gateways is ${JSON.stringify(gatewaysOf(vs))}`);
      else if (!isExportedTo(vs, client))
        notes.push(`${label} names the host but is not exported to namespace ${client}`);
      continue;
    }
    const short = host.written.split(".")[0];
    const near = hostsOf(vs).filter((h) => h.written.split(".")[0] === short || h.resolved.split(".")[0] === short);
    for (const h of near)
      notes.push(`${label} spec.hosts has ${JSON.stringify(h.written)}, ${explainHost(h.written, h.resolved)}`);
  }
  return notes.length > 0 ? `${head}: ${notes.join("; ")}` : head;
}

// What a route or mirror destination really reaches: the Service port it names (a port the
// Service lacks answers 503), and the pods a subset selects (a subset is what its labels
// select, whatever its name).
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

// The common first step of VirtualService checks: which rule does a client's request hit?
import { z } from "zod";
import { K } from "../../cluster/kinds";
import type { KindRef, KubeObject } from "../../cluster/types";
import type { HttpRule } from "../../istio/delegates";
import { isExportedTo } from "../../istio/export-to";
import { labelsOf, rec, strMap } from "../../istio/fields";
import { explainHost } from "../../istio/hosts";
import { describeRequest, type SampleRequest } from "../../istio/http-match";
import { templateOf } from "../../istio/injection";
import { matchesLabels } from "../../istio/labels";
import { type Routing, resolveRouting } from "../../istio/routing";
import { virtualServiceProblems } from "../../istio/validation";
import {
  gatewaysOf,
  hostsOf,
  isDelegate,
  MESH_GATEWAY,
  resolveGatewayRef,
  vsAppliesToHost,
  vsLabel,
} from "../../istio/virtual-service";
import type { CheckOutcome, Snapshot } from "../types";
import { evidenceOf, fail, hostParam, listText, requestOf, ZHostParam, ZNamespace, ZRequest } from "./common";

export const ZRouteTarget = z.object({
  host: ZHostParam,
  namespace: ZNamespace.describe("namespace of the service (short hosts resolve here)"),
  fromNamespace: z.string().min(1).optional().describe("namespace of the calling client; default `namespace`"),
  gateway: z
    .string()
    .min(1)
    .optional()
    .describe(
      "grade the routes a gateway applies (`name` in `namespace`, or `ns/name`) instead of the sidecars'; exportTo is then read for the namespace of the gateway's workload (the Gateway's namespace when none is found), not `fromNamespace`",
    ),
  request: ZRequest.optional(),
});
export type TRouteTarget = z.infer<typeof ZRouteTarget>;

export interface RuleContext {
  routing: Routing;
  rule: HttpRule;
  request: SampleRequest;
  host: ReturnType<typeof hostParam>;
  /** `VirtualService ns/name spec.http[0]` (+ where it was delegated from) */
  where: string;
  /** `spec.http[0]` */
  path: string;
}

/** The kinds a check on a route target reads: a gateway's workloads too when grading through one. */
export function routeKinds(p: { gateway?: string }): readonly KindRef[] {
  return p.gateway ? [K.virtualService, K.gateway, K.pod, K.deployment] : [K.virtualService];
}

/**
 * The namespace of a gateway's proxy, which Istio reads exportTo for (VirtualServicesForGateway
 * takes the proxy's namespace): where the pods, or Deployment pod templates, that the Gateway's
 * selector picks run, the Gateway's own namespace first. With no such workload in sight, the
 * Gateway's own namespace stands in for it.
 */
export function gatewayNamespace(snapshot: Snapshot, gatewayRef: string): string {
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
export function viewerNamespace(
  p: { namespace: string; fromNamespace?: string; gateway?: string },
  snapshot: Snapshot,
): string {
  if (!p.gateway) return p.fromNamespace ?? p.namespace;
  return gatewayNamespace(snapshot, resolveGatewayRef(p.gateway, p.namespace));
}

/** The rule a sample request hits, or why there is none. */
export function findMatchedRule(p: TRouteTarget, snapshot: Snapshot): RuleContext | CheckOutcome {
  const vss = snapshot.list(K.virtualService);
  const host = hostParam(p.host, p.namespace);
  const client = viewerNamespace(p, snapshot);
  const request = requestOf(p.request, client, p.gateway, p.namespace);
  const routing = resolveRouting(vss, host.resolved, client, request);
  if (routing.selection.candidates.length === 0)
    return fail(explainNoVirtualService(vss, host, client, request.gateway));
  if (!routing.matched) {
    const names = listText(
      routing.selection.candidates.slice(0, request.gateway === MESH_GATEWAY ? 1 : undefined).map(vsLabel),
    );
    const problems = routing.problems.map((pr) => `${vsLabel(pr.vs)} ${pr.path} ${pr.message}`);
    const why = problems.length > 0 ? ` (${problems.join("; ")})` : "";
    return fail(
      `no rule of ${names} matches ${describeRequest(request)}${why}`,
      routing.selection.candidates.map((vs) => evidenceOf(vs, "spec.http")),
    );
  }
  const rule = routing.matched;
  const where = `${vsLabel(rule.vs)} ${rule.path}${rule.via ? ` (delegated from ${rule.via})` : ""}`;
  return { routing, rule, request, host, where, path: rule.path };
}

export function isRuleContext(v: RuleContext | CheckOutcome): v is RuleContext {
  return "rule" in v;
}

/** Grades the rule a sample request hits, or fails saying why there is none. */
export function withMatchedRule(
  p: TRouteTarget,
  snapshot: Snapshot,
  grade: (ctx: RuleContext) => CheckOutcome,
): CheckOutcome {
  const ctx = findMatchedRule(p, snapshot);
  if (!isRuleContext(ctx)) return ctx;
  const outcome = grade(ctx);
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

/** Why no VirtualService applies, naming the near misses. */
export function explainNoVirtualService(
  vss: readonly KubeObject[],
  host: ReturnType<typeof hostParam>,
  client: string,
  gateway: string,
): string {
  const through = gateway === MESH_GATEWAY ? `to clients in namespace ${client}` : `on gateway ${gateway}`;
  const head = `no VirtualService for host ${host.text} applies ${through}`;
  const notes: string[] = [];
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

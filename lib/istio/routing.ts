// What a client's request to a host runs into: the VirtualService(s) that apply, their rules
// with delegates merged, and the first rule that matches the request.
import type { KubeObject } from "../cluster/types";
import { type DelegateProblem, expandHttpRules, type HttpRule } from "./delegates";
import { arr, type Rec, rec, specOf } from "./fields";
import { isEnvoyCatchAll, matchesRequest, ruleMatches, type SampleRequest } from "./http-match";
import { MESH_GATEWAY, selectVirtualServices, type VsSelection } from "./virtual-service";

export interface Routing {
  selection: VsSelection;
  /** the rules of the VirtualServices that apply, in order (a gateway tries catch-all matches last: gatewayRouteOrder) */
  rules: HttpRule[];
  problems: DelegateProblem[];
  /** the first rule matching the request, if any */
  matched?: HttpRule;
}

export function resolveRouting(
  virtualServices: readonly KubeObject[],
  host: string,
  clientNamespace: string,
  request: SampleRequest,
): Routing {
  const selection = selectVirtualServices(virtualServices, host, clientNamespace, request.gateway);
  const applied =
    request.gateway === MESH_GATEWAY ? (selection.winner ? [selection.winner] : []) : selection.candidates;
  const rules: HttpRule[] = [];
  const problems: DelegateProblem[] = [];
  for (const vs of applied) {
    const expanded = expandHttpRules(vs, virtualServices);
    rules.push(...expanded.rules);
    problems.push(...expanded.problems);
  }
  const matched =
    request.gateway === MESH_GATEWAY
      ? rules.find((r) => ruleMatches(r.rule, request, r.vs.metadata.namespace ?? ""))
      : gatewayRouteOrder(rules).find((r) => r.match === undefined || matchesRequest(r.match, request, r.vsNamespace))
          ?.rule;
  if (matched || rules.length > 0) return { selection, rules, problems, matched };
  // No HTTP rules at all: a TCP service (TCP traffic shifting) routes by its tcp rules.
  const tcp = applied.flatMap((vs) =>
    arr(specOf(vs).tcp).map((r, i): HttpRule => ({ rule: rec(r), vs, path: `spec.tcp[${i}]` })),
  );
  const tcpMatched = tcp.find((r) => tcpRuleMatches(r.rule, request, r.vs.metadata.namespace ?? ""));
  return { selection, rules: tcp, problems, matched: tcpMatched };
}

export interface EnvoyRoute {
  rule: HttpRule;
  /** the HTTPMatchRequest this Envoy route comes from; undefined for a rule without match */
  match?: unknown;
  vsNamespace: string;
}

/**
 * The Envoy routes a gateway tries, in order: one per match (a rule without match is one
 * route), the rules of every VirtualService bound to it appended, then catch-all routes moved
 * to the end keeping their relative order (pilot's SortVHostRoutes on gateway virtual hosts).
 */
export function gatewayRouteOrder(rules: readonly HttpRule[]): EnvoyRoute[] {
  const routes: EnvoyRoute[] = rules.flatMap((rule) => {
    const vsNamespace = rule.vs.metadata.namespace ?? "";
    const matches = arr(rule.rule.match);
    return matches.length === 0 ? [{ rule, vsNamespace }] : matches.map((match) => ({ rule, match, vsNamespace }));
  });
  return [...routes.filter((r) => !isEnvoyCatchAll(r.match)), ...routes.filter((r) => isEnvoyCatchAll(r.match))];
}

/** A TCP rule applies with no match, or a match whose port (when the request names one), gateways and sourceLabels fit. */
function tcpRuleMatches(rule: Rec, request: SampleRequest, vsNamespace: string): boolean {
  const matches = arr(rule.match);
  if (matches.length === 0) return true;
  return matches.some((m) => {
    const { port, gateways, sourceLabels, sourceNamespace } = rec(m);
    return matchesRequest({ port, gateways, sourceLabels, sourceNamespace }, request, vsNamespace);
  });
}

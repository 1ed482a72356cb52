// What a client's request to a host runs into: the VirtualService(s) that apply, their rules
// with delegates merged, and the first rule that matches the request.
import type { KubeObject } from "../cluster/types";
import { type DelegateProblem, expandHttpRules, type HttpRule } from "./delegates";
import { arr, type Rec, rec, specOf } from "./fields";
import { matchesRequest, ruleMatches, type SampleRequest } from "./http-match";
import { MESH_GATEWAY, selectVirtualServices, type VsSelection } from "./virtual-service";

export interface Routing {
  selection: VsSelection;
  /** rules in the order Envoy tries them */
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
  const matched = rules.find((r) => ruleMatches(r.rule, request, r.vs.metadata.namespace ?? ""));
  if (matched || rules.length > 0) return { selection, rules, problems, matched };
  // No HTTP rules at all: a TCP service (TCP traffic shifting) routes by its tcp rules.
  const tcp = applied.flatMap((vs) =>
    arr(specOf(vs).tcp).map((r, i): HttpRule => ({ rule: rec(r), vs, path: `spec.tcp[${i}]` })),
  );
  const tcpMatched = tcp.find((r) => tcpRuleMatches(r.rule, request, r.vs.metadata.namespace ?? ""));
  return { selection, rules: tcp, problems, matched: tcpMatched };
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

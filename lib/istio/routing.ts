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

// Retries: what a retry policy retries, by meaning (pilot's retry.ConvertPolicy and Envoy's retry
// conditions): numbers in retryOn are retriable status codes (Istio adds
// `retriable-status-codes` for them); `5xx` retries every 5xx and resets; `gateway-error` 502,
// 503, 504 and resets; `retriable-4xx` 409; `reset` resets. With retries unset, or retryOn
// unset, Istio's default applies: connect-failure,refused-stream,unavailable,cancelled and
// retriable-status-codes with code 503.

export const ISTIO_DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

export interface RetryPolicy {
  conditions: string[];
  statusCodes: number[];
}

/** The Envoy policy Istio writes for a `retryOn` text (unset: Istio's default). */
export function parseRetryOn(retryOn: string | undefined): RetryPolicy {
  if (!retryOn?.trim()) return { conditions: ISTIO_DEFAULT_RETRY_ON.split(","), statusCodes: [503] };
  const conditions: string[] = [];
  const statusCodes: number[] = [];
  for (const part of retryOn.split(",").map((s) => s.trim())) {
    if (part === "") continue;
    if (/^\d+$/.test(part)) statusCodes.push(Number(part));
    else conditions.push(part);
  }
  if (statusCodes.length > 0 && !conditions.includes("retriable-status-codes"))
    conditions.push("retriable-status-codes");
  return { conditions, statusCodes };
}

const STATUS_CLASSES: Record<string, (s: number) => boolean> = {
  "5xx": (s) => s >= 500 && s <= 599,
  "gateway-error": (s) => s === 502 || s === 503 || s === 504,
  "retriable-4xx": (s) => s === 409,
};

/** Conditions that retry a kind of failure without a response, besides the failure's own name. */
const RESET_COVERED_BY = ["5xx", "gateway-error", "reset"];
const RESETS = ["reset", "connect-failure", "refused-stream", "reset-before-request"];

/** Does the policy retry a response with this status? */
export function retriesStatus(policy: RetryPolicy, status: number): boolean {
  if (policy.conditions.includes("retriable-status-codes") && policy.statusCodes.includes(status)) return true;
  return policy.conditions.some((c) => STATUS_CLASSES[c]?.(status) ?? false);
}

/**
 * Does the policy retry what `wanted` names: a status code (`"500"`), a status class (`5xx`,
 * `gateway-error`, `retriable-4xx`: every status in it), a reset kind (`connect-failure`...:
 * also retried by `5xx`, `gateway-error` and `reset`), or any other condition by name.
 */
export function retries(policy: RetryPolicy, wanted: string): boolean {
  const w = wanted.trim();
  if (/^\d+$/.test(w)) return retriesStatus(policy, Number(w));
  const inClass = STATUS_CLASSES[w];
  if (inClass) {
    const statuses = Array.from({ length: 200 }, (_, i) => 400 + i).filter(inClass);
    return policy.conditions.includes(w) || statuses.every((s) => retriesStatus(policy, s));
  }
  if (RESETS.includes(w))
    return policy.conditions.includes(w) || policy.conditions.some((c) => RESET_COVERED_BY.includes(c));
  return policy.conditions.includes(w);
}

// What Istio's validating webhook rejects (pkg/config/validation): an object it rejects never
// reaches the cluster, so the checks treat it as applying nowhere and say why.
import type { KubeObject } from "../cluster/types";
import { arr, isRec, rec, specOf, strs } from "./fields";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Why Istio rejects an object's `exportTo` (validateExportTo), if it does: `~` (exported to
 * nobody) is allowed only alone and only on a ServiceEntry; `*` must stand alone; no duplicates
 * (`.` counts as the object's namespace); every other entry is a namespace name.
 */
export function exportToProblem(o: KubeObject): string | undefined {
  const exportTo = strs(specOf(o).exportTo);
  if (exportTo.length === 0) return undefined;
  const where = `spec.exportTo ${JSON.stringify(exportTo)}`;
  const ns = o.metadata.namespace ?? "";
  const seen = new Set<string>();
  for (const e of exportTo) {
    const key = e === "." ? ns : e;
    if (seen.has(key)) return `${where} has a duplicate entry ${e}`;
    seen.add(key);
    if (e === "~" && o.kind !== "ServiceEntry")
      return `${where}: exportTo ~ (none) is not allowed for Istio configuration objects`;
    if (e !== "." && e !== "*" && e !== "~" && !DNS_LABEL.test(e))
      return `${where}: ${JSON.stringify(e)} is not ., *, or a namespace name`;
  }
  if (seen.has("*") && exportTo.length > 1) return `${where} mixes * (public) with other entries`;
  if (seen.has("~") && exportTo.length > 1) return `${where} exports to no one (~) and someone`;
  return undefined;
}

/**
 * Is `pattern` a regular expression RE2 (Go's regexp, which Istio validates with) accepts?
 * JavaScript's syntax is close; RE2 has no lookaround and no backreferences.
 */
export function isValidRe2(pattern: string): boolean {
  if (pattern === "" || /\(\?<?[=!]/.test(pattern) || /\\[1-9]/.test(pattern)) return false;
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const MATCH_STRINGS = ["uri", "scheme", "method", "authority"] as const;
const MATCH_MAPS = ["headers", "queryParams"] as const;

/**
 * The regex problems of a VirtualService's HTTP matches (validateHTTPRouteMatchRequest): an
 * ordinary rule's uri/scheme/method/authority/headers/queryParams regex must compile as RE2
 * (`regex: "*"` does not: for "header present" write `{}`); a delegating root rule and a
 * delegate's rules may not use regex at all. withoutHeaders is not checked by Istio.
 */
export function matchRegexProblems(vs: KubeObject): string[] {
  const problems: string[] = [];
  const isDelegateVs = arr(specOf(vs).hosts).length === 0;
  arr(specOf(vs).http).forEach((raw, i) => {
    const rule = rec(raw);
    const delegating = isDelegateVs || isRec(rule.delegate);
    arr(rule.match).forEach((m, j) => {
      const match = rec(m);
      const at = `spec.http[${i}].match[${j}]`;
      const check = (sm: unknown, path: string, withoutHeaders = false): void => {
        const regex = rec(sm).regex;
        if (typeof regex !== "string") return;
        if (delegating) problems.push(`${path}.regex: regex matches are not supported when delegating`);
        else if (!withoutHeaders && !isValidRe2(regex))
          problems.push(`${path}.regex ${JSON.stringify(regex)} is not a valid RE2 regular expression`);
      };
      for (const k of MATCH_STRINGS) check(match[k], `${at}.${k}`);
      for (const k of MATCH_MAPS)
        for (const [name, sm] of Object.entries(rec(match[k]))) check(sm, `${at}.${k}.${name}`);
      if (delegating)
        for (const [name, sm] of Object.entries(rec(match.withoutHeaders)))
          check(sm, `${at}.withoutHeaders.${name}`, true);
    });
  });
  return problems;
}

/**
 * The route conflicts Istio's validation rejects (ValidateVirtualService, validateHTTPRouteConflict):
 * a delegate (no hosts) with `gateways`, `tcp` or `tls`; a rule with `delegate` and `route` or
 * `redirect`; `mirror` and `mirrors` on one rule; a rule with none of route, redirect,
 * directResponse and delegate.
 */
export function routeConflictProblems(vs: KubeObject): string[] {
  const spec = specOf(vs);
  const problems: string[] = [];
  if (arr(spec.hosts).length === 0) {
    for (const field of ["gateways", "tcp", "tls"] as const)
      if (arr(spec[field]).length > 0)
        problems.push(`spec.${field} is set on a delegate VirtualService (no hosts), which must have none`);
  }
  arr(spec.http).forEach((raw, i) => {
    const rule = rec(raw);
    const at = `spec.http[${i}]`;
    const has = (f: string): boolean => rule[f] !== undefined && rule[f] !== null;
    if (has("delegate")) {
      if (arr(rule.route).length > 0) problems.push(`${at} has both route and delegate`);
      if (has("redirect")) problems.push(`${at} has both redirect and delegate`);
    }
    if (has("mirror") && arr(rule.mirrors).length > 0) problems.push(`${at} has both mirror and mirrors`);
    if (arr(rule.route).length === 0 && !has("redirect") && !has("directResponse") && !has("delegate"))
      problems.push(`${at} has no route, redirect, directResponse or delegate (one is required)`);
  });
  return problems;
}

/** The retry conditions Istio's validation accepts in `retryOn`, besides HTTP status codes. */
const RETRY_ON_POLICIES = new Set([
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "envoy-ratelimited",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "retriable-headers",
  "http3-post-connect-failure",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);

/**
 * The retry policies Istio's validation rejects (validateHTTPRetry): negative attempts, and a
 * `retryOn` entry that is neither a known condition nor an HTTP status code (`5XX`, `500s`, and
 * ` 503` after a comma and a space: entries are not trimmed).
 */
export function retryProblems(vs: KubeObject): string[] {
  const problems: string[] = [];
  arr(specOf(vs).http).forEach((raw, i) => {
    const retries = rec(rec(raw).retries);
    const at = `spec.http[${i}].retries`;
    if (typeof retries.attempts === "number" && retries.attempts < 0) problems.push(`${at}.attempts is negative`);
    if (typeof retries.retryOn !== "string") return;
    // Istio splits on "," without trimming: "5xx, 503" has the entry " 503", which it rejects.
    for (const part of retries.retryOn.split(",")) {
      const isStatus = /^\d+$/.test(part) && Number(part) >= 100 && Number(part) <= 599;
      if (!isStatus && !RETRY_ON_POLICIES.has(part))
        problems.push(`${at}.retryOn: ${JSON.stringify(part)} is not a retry condition or an HTTP status code`);
    }
  });
  return problems;
}

/** Is `sni` a subset of `host` (pilot host.Name.SubsetOf): equal, or covered by the wildcard `host`. */
function isSubsetHost(sni: string, host: string): boolean {
  const n = sni.toLowerCase();
  const o = host.toLowerCase();
  if (!n.startsWith("*") && !o.startsWith("*")) return n === o;
  if (n.startsWith("*")) return o.startsWith("*") && n.slice(1).endsWith(o.slice(1));
  return n.endsWith(o.slice(1));
}

/**
 * The TLS route problems Istio's validation rejects (validateTLSRoute, validateTLSMatch,
 * validateSniHost): a rule needs a match and a route; each match needs sniHosts, and each SNI
 * host must be a subset of one of the VirtualService's hosts as written.
 */
export function tlsRouteProblems(vs: KubeObject): string[] {
  const spec = specOf(vs);
  const hosts = strs(spec.hosts);
  const problems: string[] = [];
  arr(spec.tls).forEach((raw, i) => {
    const rule = rec(raw);
    const at = `spec.tls[${i}]`;
    if (arr(rule.match).length === 0) problems.push(`${at} has no match (a TLS route needs at least one)`);
    if (arr(rule.route).length === 0) problems.push(`${at} has no route`);
    arr(rule.match).forEach((m, j) => {
      const sniHosts = strs(rec(m).sniHosts);
      if (sniHosts.length === 0) problems.push(`${at}.match[${j}] has no sniHosts (a TLS match needs at least one)`);
      for (const sni of sniHosts)
        if (!hosts.some((h) => isSubsetHost(sni, h)))
          problems.push(
            `${at}.match[${j}].sniHosts ${JSON.stringify(sni)} is not a subset of any of the VirtualService's hosts ${JSON.stringify(hosts)}`,
          );
    });
  });
  return problems;
}

/** Why Istio rejects a VirtualService (the parts of its validation the checks rely on). */
export function virtualServiceProblems(vs: KubeObject): string[] {
  const exportTo = exportToProblem(vs);
  return [
    ...(exportTo ? [exportTo] : []),
    ...routeConflictProblems(vs),
    ...retryProblems(vs),
    ...matchRegexProblems(vs),
    ...tlsRouteProblems(vs),
  ];
}

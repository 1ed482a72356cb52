// AuthorizationPolicy evaluation for one request to one workload. Order: CUSTOM (not
// evaluated here), then DENY, then ALLOW: no ALLOW policy → allow; any ALLOW matches →
// allow; else deny. An empty spec `{}` is an ALLOW policy with no rules: it denies all.
import type { KubeObject } from "../cluster/types";
import { arr, describeObject, isRec, type Rec, rec, sortOldestFirst, specOf, str, strMap, strs } from "./fields";
import { matchesLabels } from "./labels";

export interface AuthzRequest {
  /** source.principal, `cluster.local/ns/<ns>/sa/<sa>`; absent = plaintext caller */
  principal?: string;
  /** source namespace; read from the principal when omitted */
  namespace?: string;
  /** request.auth.principal, `<iss>/<sub>` of a validated JWT */
  requestPrincipal?: string;
  claims?: Record<string, string | string[]>;
  host?: string;
  method?: string;
  path?: string;
  port?: number;
  headers?: Record<string, string>;
  ip?: string;
}

export interface Workload {
  namespace: string;
  labels: Record<string, string>;
}

export interface AuthzDecision {
  allowed: boolean;
  reason: string;
  /** the policies that decided */
  policies: KubeObject[];
}

/** The policies that apply to the workload: its namespace's and the root namespace's, selector-less or selecting it. */
export function applicablePolicies(
  policies: readonly KubeObject[],
  workload: Workload,
  rootNamespace: string,
): KubeObject[] {
  return sortOldestFirst(
    policies.filter((p) => {
      const ns = p.metadata.namespace;
      if (ns !== workload.namespace && ns !== rootNamespace) return false;
      const spec = specOf(p);
      if (spec.targetRef !== undefined || spec.targetRefs !== undefined) return false; // gateways and waypoints
      return matchesLabels(strMap(rec(spec.selector).matchLabels), workload.labels);
    }),
  );
}

export function evaluateAuthorization(
  policies: readonly KubeObject[],
  workload: Workload,
  request: AuthzRequest,
  rootNamespace = "istio-system",
): AuthzDecision {
  const applicable = applicablePolicies(policies, workload, rootNamespace);
  const actionOf = (p: KubeObject): string => str(specOf(p).action) ?? "ALLOW";
  const matching = (action: string): KubeObject[] =>
    applicable.filter((p) => actionOf(p) === action && policyMatches(p, request));
  const denied = matching("DENY");
  if (denied.length > 0) return { allowed: false, reason: `denied by DENY policy ${names(denied)}`, policies: denied };
  const allowPolicies = applicable.filter((p) => actionOf(p) === "ALLOW");
  if (allowPolicies.length === 0)
    return { allowed: true, reason: "no ALLOW or DENY policy applies, so the request is allowed", policies: [] };
  const allowed = matching("ALLOW");
  if (allowed.length > 0) return { allowed: true, reason: `allowed by ${names(allowed)}`, policies: allowed };
  return {
    allowed: false,
    reason: `no rule of the ALLOW policies ${names(allowPolicies)} matches, so the request is denied`,
    policies: allowPolicies,
  };
}

function names(ps: KubeObject[]): string {
  return ps.map(describeObject).join(", ");
}

/** A policy matches when any of its rules matches; no rules match nothing. */
function policyMatches(policy: KubeObject, req: AuthzRequest): boolean {
  return arr(specOf(policy).rules).some((r) => ruleMatches(rec(r), req));
}

function ruleMatches(rule: Rec, req: AuthzRequest): boolean {
  const from = arr(rule.from);
  const to = arr(rule.to);
  if (from.length > 0 && !from.some((f) => sourceMatches(rec(rec(f).source), req))) return false;
  if (to.length > 0 && !to.some((t) => operationMatches(rec(rec(t).operation), req))) return false;
  return arr(rule.when).every((c) => conditionMatches(rec(c), req));
}

function sourceMatches(s: Rec, req: AuthzRequest): boolean {
  const ns = req.namespace ?? namespaceOfPrincipal(req.principal);
  return (
    field(s.principals, s.notPrincipals, req.principal) &&
    field(s.requestPrincipals, s.notRequestPrincipals, req.requestPrincipal) &&
    field(s.namespaces, s.notNamespaces, ns) &&
    field(s.ipBlocks, s.notIpBlocks, req.ip, (p, v) => p === v) &&
    field(s.remoteIpBlocks, s.notRemoteIpBlocks, req.ip, (p, v) => p === v)
  );
}

function operationMatches(o: Rec, req: AuthzRequest): boolean {
  const ci = (p: string, v: string): boolean => matchesValue(p.toLowerCase(), v.toLowerCase());
  return (
    field(o.hosts, o.notHosts, req.host, ci) &&
    field(o.ports, o.notPorts, req.port === undefined ? undefined : String(req.port), (p, v) => p === v) &&
    field(o.methods, o.notMethods, req.method?.toUpperCase()) &&
    field(o.paths, o.notPaths, req.path, matchesPath)
  );
}

/** A positive list must contain a match for the value; a negative list must not. */
function field(
  values: unknown,
  notValues: unknown,
  actual: string | undefined,
  match: (pattern: string, value: string) => boolean = matchesValue,
): boolean {
  const yes = arr(values).map(String);
  const no = arr(notValues).map(String);
  if (yes.length > 0 && (actual === undefined || !yes.some((p) => match(p, actual)))) return false;
  if (no.length > 0 && actual !== undefined && no.some((p) => match(p, actual))) return false;
  return true;
}

/** Istio's string match: exact, `prefix*`, `*suffix`, or `*` for any non-empty value. */
export function matchesValue(pattern: string, value: string): boolean {
  if (pattern === "*") return value !== "";
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** Paths also take templates: `{*}` is one segment, `{**}` any rest. */
function matchesPath(pattern: string, value: string): boolean {
  if (!pattern.includes("{")) return matchesValue(pattern, value);
  const re = pattern
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) => (part === "{**}" ? ".*" : part === "{*}" ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${re}$`).test(value);
}

function conditionMatches(c: Rec, req: AuthzRequest): boolean {
  const key = str(c.key) ?? "";
  const actual = conditionValue(key, req);
  if (actual === null) return false; // an attribute this evaluator cannot know: no match
  const values = strs(c.values);
  const notValues = strs(c.notValues);
  const list = actual === undefined ? [] : Array.isArray(actual) ? actual : [actual];
  if (values.length > 0 && !list.some((a) => values.some((p) => matchesValue(p, a)))) return false;
  if (notValues.length > 0 && list.some((a) => notValues.some((p) => matchesValue(p, a)))) return false;
  return true;
}

/** undefined: known but absent; null: not evaluated. */
function conditionValue(key: string, req: AuthzRequest): string | string[] | undefined | null {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return lowerKeys(req.headers)[header[1].toLowerCase()];
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  if (claim) return req.claims?.[claim[1]];
  switch (key) {
    case "source.principal":
      return req.principal;
    case "source.namespace":
      return req.namespace ?? namespaceOfPrincipal(req.principal);
    case "request.auth.principal":
      return req.requestPrincipal;
    case "destination.port":
      return req.port === undefined ? undefined : String(req.port);
    case "source.ip":
    case "remote.ip":
      return req.ip;
    default:
      return null;
  }
}

function lowerKeys(m: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function namespaceOfPrincipal(principal: string | undefined): string | undefined {
  return principal ? /\/ns\/([^/]+)\//.exec(principal)?.[1] : undefined;
}

/** A policy that denies every request: empty spec / ALLOW without rules, or DENY with an empty rule. */
export function isDenyAll(policy: KubeObject): boolean {
  const spec = specOf(policy);
  const action = str(spec.action) ?? "ALLOW";
  const rules = arr(spec.rules);
  if (action === "ALLOW") return rules.length === 0;
  if (action === "DENY") return rules.some((r) => isRec(r) && Object.keys(r).length === 0);
  return false;
}

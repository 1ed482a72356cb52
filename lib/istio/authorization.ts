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
  /** the peer's IP (ipBlocks, source.ip): behind a load balancer, the balancer's */
  ip?: string;
  /** the original client IP from X-Forwarded-For or the PROXY protocol (remoteIpBlocks, remote.ip); defaults to ip */
  remoteIp?: string;
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
  const firstMatch = (action: string): { policy: KubeObject; rule: number } | undefined => {
    for (const p of applicable.filter((ap) => actionOf(ap) === action)) {
      const rule = matchingRule(p, request);
      if (rule !== undefined) return { policy: p, rule };
    }
    return undefined;
  };
  const denied = firstMatch("DENY");
  if (denied)
    return {
      allowed: false,
      reason: `denied by DENY policy ${describeObject(denied.policy)} spec.rules[${denied.rule}]${ruleText(denied.policy, denied.rule)}`,
      policies: [denied.policy],
    };
  const allowPolicies = applicable.filter((p) => actionOf(p) === "ALLOW");
  if (allowPolicies.length === 0)
    return { allowed: true, reason: "no ALLOW or DENY policy applies, so the request is allowed", policies: [] };
  const allowed = firstMatch("ALLOW");
  if (allowed)
    return {
      allowed: true,
      reason: `allowed by ${describeObject(allowed.policy)} spec.rules[${allowed.rule}]${ruleText(allowed.policy, allowed.rule)}`,
      policies: [allowed.policy],
    };
  const why = allowPolicies.map((p) => `${describeObject(p)} ${policyMismatch(p, request)}`);
  return {
    allowed: false,
    reason: `no rule of the ALLOW policies matches, so the request is denied: ${why.join("; ")}`,
    policies: allowPolicies,
  };
}

/** The index of the first rule of the policy that matches the request; no rules match nothing. */
function matchingRule(policy: KubeObject, req: AuthzRequest): number | undefined {
  const ns = policy.metadata.namespace ?? "";
  const i = arr(specOf(policy).rules).findIndex((r) => ruleMismatch(rec(r), req, ns) === undefined);
  return i < 0 ? undefined : i;
}

/** A rule in words for messages, ` (from principals [...], to methods [...])`; empty for an empty rule. */
function ruleText(policy: KubeObject, i: number): string {
  const rule = rec(arr(specOf(policy).rules)[i]);
  const parts: string[] = [];
  const listed = (side: string, items: unknown[], key: string): void => {
    for (const it of items) {
      const fields = rec(rec(it)[key]);
      const text = Object.entries(fields)
        .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
        .join(", ");
      if (text) parts.push(`${side} ${text}`);
    }
  };
  listed("from", arr(rule.from), "source");
  listed("to", arr(rule.to), "operation");
  for (const c of arr(rule.when)) parts.push(`when ${JSON.stringify(rec(c))}`);
  return parts.length > 0 ? ` (${parts.join("; ")})` : " (an empty rule matches every request)";
}

/** Why no rule of the policy matches: the first field that fails in each rule. */
function policyMismatch(policy: KubeObject, req: AuthzRequest): string {
  const ns = policy.metadata.namespace ?? "";
  const rules = arr(specOf(policy).rules);
  if (rules.length === 0) return "has no rules (allows nothing)";
  return rules.map((r, i) => `spec.rules[${i}].${ruleMismatch(rec(r), req, ns) ?? "?"}`).join(", ");
}

/** undefined when the rule matches, else the path of the field that fails and why. */
function ruleMismatch(rule: Rec, req: AuthzRequest, policyNs: string): string | undefined {
  const from = arr(rule.from);
  const to = arr(rule.to);
  if (from.length > 0) {
    const misses = from.map((f, i) => sourceMismatch(rec(rec(f).source), req, policyNs, `from[${i}].source`));
    if (misses.every((m) => m !== undefined)) return misses.join(" and ");
  }
  if (to.length > 0) {
    const misses = to.map((t, i) => operationMismatch(rec(rec(t).operation), req, `to[${i}].operation`));
    if (misses.every((m) => m !== undefined)) return misses.join(" and ");
  }
  const when = arr(rule.when);
  for (let i = 0; i < when.length; i++) {
    const c = rec(when[i]);
    if (!conditionMatches(c, req, policyNs)) {
      const key = str(c.key) ?? "?";
      const actual = conditionValue(key, req);
      const got =
        actual === null
          ? "an attribute this grader cannot evaluate"
          : actual === undefined
            ? "absent from the request"
            : JSON.stringify(actual);
      const wanted = [
        strs(c.values).length > 0 ? `values ${JSON.stringify(strs(c.values))}` : "",
        strs(c.notValues).length > 0 ? `notValues ${JSON.stringify(strs(c.notValues))}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      return `when[${i}] ${key} ${wanted} does not hold: ${key} is ${got}`;
    }
  }
  return undefined;
}

function sourceMismatch(s: Rec, req: AuthzRequest, policyNs: string, path: string): string | undefined {
  const ns = req.namespace ?? namespaceOfPrincipal(req.principal);
  const sa = serviceAccountOf(req.principal);
  const qualify = (p: string, v: string): boolean => qualifiedServiceAccount(p, policyNs) === v;
  return (
    field(path, "principals", s.principals, s.notPrincipals, req.principal, "the caller's principal") ??
    field(
      path,
      "requestPrincipals",
      s.requestPrincipals,
      s.notRequestPrincipals,
      req.requestPrincipal,
      "the JWT principal",
    ) ??
    field(path, "namespaces", s.namespaces, s.notNamespaces, ns, "the caller's namespace") ??
    field(
      path,
      "serviceAccounts",
      s.serviceAccounts,
      s.notServiceAccounts,
      sa,
      "the caller's service account",
      qualify,
      [...arr(s.serviceAccounts), ...arr(s.notServiceAccounts)].some((e) => !String(e).includes("/"))
        ? ` (a name without namespace is in the policy's namespace ${policyNs})`
        : "",
    ) ??
    field(path, "ipBlocks", s.ipBlocks, s.notIpBlocks, req.ip, "the peer IP", matchesIp) ??
    field(
      path,
      "remoteIpBlocks",
      s.remoteIpBlocks,
      s.notRemoteIpBlocks,
      req.remoteIp ?? req.ip,
      "the original client IP",
      matchesIp,
    )
  );
}

function operationMismatch(o: Rec, req: AuthzRequest, path: string): string | undefined {
  const ci = (p: string, v: string): boolean => matchesValue(p.toLowerCase(), v.toLowerCase());
  const port = req.port === undefined ? undefined : String(req.port);
  return (
    field(path, "hosts", o.hosts, o.notHosts, req.host, "the host", ci) ??
    field(path, "ports", o.ports, o.notPorts, port, "the port", (p, v) => p === v) ??
    field(path, "methods", o.methods, o.notMethods, req.method?.toUpperCase(), "the method") ??
    field(path, "paths", o.paths, o.notPaths, req.path, "the path", matchesPath)
  );
}

/** A positive list must contain a match for the value; a negative list must not. undefined when it holds, else why not. */
function field(
  path: string,
  name: string,
  values: unknown,
  notValues: unknown,
  actual: string | undefined,
  what: string,
  match: (pattern: string, value: string) => boolean = matchesValue,
  note = "",
): string | undefined {
  const yes = arr(values).map(String);
  const no = arr(notValues).map(String);
  if (yes.length > 0 && (actual === undefined || !yes.some((p) => match(p, actual))))
    return `${path}.${name} ${JSON.stringify(yes)} ${actual === undefined ? `needs ${what}, which the request lacks` : `does not match ${actual}`}${note}`;
  const not = `not${name[0].toUpperCase()}${name.slice(1)}`;
  if (no.length > 0 && actual !== undefined && no.some((p) => match(p, actual)))
    return `${path}.${not} ${JSON.stringify(no)} excludes ${actual}${note}`;
  return undefined;
}

/** An IPv4 address against an address or CIDR block (`10.0.0.0/8`); other forms compare as text. */
export function matchesIp(block: string, ip: string): boolean {
  const toInt = (a: string): number | undefined => {
    const parts = a.split(".").map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return undefined;
    return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
  };
  const [addr, bitsText] = block.split("/");
  const base = toInt(addr);
  const value = toInt(ip);
  if (base === undefined || value === undefined) return block === ip;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (base & mask) >>> 0 === (value & mask) >>> 0;
}

/** `ns/sa` of a caller's principal (`<td>/ns/<ns>/sa/<sa>`, with or without `spiffe://`). */
function serviceAccountOf(principal: string | undefined): string | undefined {
  const m = principal ? /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal) : null;
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** A serviceAccounts entry as `ns/sa`: a bare `sa` is in the policy's own namespace. */
function qualifiedServiceAccount(entry: string, policyNs: string): string {
  return entry.includes("/") ? entry : `${policyNs}/${entry}`;
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

function conditionMatches(c: Rec, req: AuthzRequest, policyNs: string): boolean {
  const key = str(c.key) ?? "";
  const actual = conditionValue(key, req);
  if (actual === null) return false; // an attribute this evaluator cannot know: no match
  // source.serviceAccount values are `ns/sa`, or a bare `sa` in the policy's namespace, matched exactly.
  const qualify = (v: string): string => (key === "source.serviceAccount" ? qualifiedServiceAccount(v, policyNs) : v);
  const values = strs(c.values).map(qualify);
  const notValues = strs(c.notValues).map(qualify);
  const list = actual === undefined ? [] : Array.isArray(actual) ? actual : [actual];
  const match = key === "source.ip" || key === "remote.ip" ? matchesIp : matchesValue;
  if (values.length > 0 && !list.some((a) => values.some((p) => match(p, a)))) return false;
  if (notValues.length > 0 && list.some((a) => notValues.some((p) => match(p, a)))) return false;
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
    case "source.serviceAccount":
      return serviceAccountOf(req.principal);
    case "request.auth.principal":
      return req.requestPrincipal;
    case "destination.port":
      return req.port === undefined ? undefined : String(req.port);
    case "source.ip":
      return req.ip;
    case "remote.ip":
      return req.remoteIp ?? req.ip;
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

// Does an HTTPRoute rule of a VirtualService match a request? Used to grade routing by what it
// does for sample requests, so every equivalent way to write a match is accepted.
import { arr, isRec, num, type Rec, rec, str, strMap } from "./fields";
import { matchesLabels } from "./labels";
import { MESH_GATEWAY, resolveGatewayRef } from "./virtual-service";

export interface SampleRequest {
  /** path (without query), default "/" */
  uri: string;
  /** default GET */
  method: string;
  /** names are case-insensitive */
  headers: Record<string, string>;
  queryParams: Record<string, string>;
  scheme: string;
  authority?: string;
  /** A match on `port` is ignored when the request names none. */
  port?: number;
  /** `mesh` or a resolved `ns/name` gateway */
  gateway: string;
  sourceNamespace?: string;
  sourceLabels?: Record<string, string>;
}

export function sampleRequest(partial: Partial<SampleRequest> = {}): SampleRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(partial.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    uri: partial.uri ?? "/",
    method: (partial.method ?? "GET").toUpperCase(),
    headers,
    queryParams: partial.queryParams ?? {},
    scheme: partial.scheme ?? "http",
    authority: partial.authority,
    port: partial.port,
    gateway: partial.gateway ?? MESH_GATEWAY,
    sourceNamespace: partial.sourceNamespace,
    sourceLabels: partial.sourceLabels,
  };
}

/**
 * A StringMatch (exact / prefix / regex) against a value (undefined = absent). `{}` and
 * `regex: "*"` mean "present" (pilot's canBeConvertedToPresentMatch; validation rejects "*"
 * everywhere but withoutHeaders).
 */
export function matchesString(match: unknown, value: string | undefined, ignoreCase = false): boolean {
  if (!isRec(match)) return false;
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  if (typeof match.exact === "string") return v === fold(match.exact);
  if (typeof match.prefix === "string") return v.startsWith(fold(match.prefix));
  if (isPresenceMatch(match)) return true;
  if (typeof match.regex === "string") return fullRegexMatch(match.regex, value, ignoreCase);
  return false;
}

/** `{}` or `regex: "*"`: Envoy's present_match. */
export function isPresenceMatch(match: unknown): boolean {
  return isRec(match) && (Object.keys(match).length === 0 || match.regex === "*");
}

/** RE2 as Envoy applies it: the whole value must match. JavaScript's syntax is close enough for exam regexes. */
export function fullRegexMatch(pattern: string, value: string, ignoreCase = false): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, ignoreCase ? "i" : "").test(value);
  } catch {
    return false;
  }
}

/** One HTTPMatchRequest: all its conditions hold. */
export function matchesRequest(match: unknown, req: SampleRequest, vsNamespace: string): boolean {
  const m = rec(match);
  const ignoreUriCase = m.ignoreUriCase === true;
  if (m.uri !== undefined && !matchesString(m.uri, req.uri, ignoreUriCase)) return false;
  if (m.method !== undefined && !matchesString(m.method, req.method)) return false;
  if (m.scheme !== undefined && !matchesString(m.scheme, req.scheme)) return false;
  if (m.authority !== undefined && !matchesString(m.authority, req.authority)) return false;
  for (const [name, sm] of Object.entries(rec(m.headers))) {
    if (!matchesString(sm, req.headers[name.toLowerCase()])) return false;
  }
  for (const [name, sm] of Object.entries(rec(m.withoutHeaders))) {
    // Inverted; Istio sets treat_missing_header_as_empty except for a presence match.
    const value = req.headers[name.toLowerCase()];
    if (matchesString(sm, isPresenceMatch(sm) ? value : (value ?? ""))) return false;
  }
  for (const [name, sm] of Object.entries(rec(m.queryParams))) {
    if (!matchesString(sm, req.queryParams[name])) return false;
  }
  const port = num(m.port);
  if (port !== undefined && req.port !== undefined && port !== req.port) return false;
  const gateways = arr(m.gateways).filter((g): g is string => typeof g === "string");
  if (gateways.length > 0 && !gateways.some((g) => resolveGatewayRef(g, vsNamespace) === req.gateway)) return false;
  const sourceLabels = strMap(m.sourceLabels);
  if (Object.keys(sourceLabels).length > 0 && !(req.sourceLabels && matchesLabels(sourceLabels, req.sourceLabels)))
    return false;
  const sourceNamespace = str(m.sourceNamespace);
  if (sourceNamespace !== undefined && sourceNamespace !== req.sourceNamespace) return false;
  return true;
}

/** An HTTP rule applies when it has no match, or any of its matches holds. */
export function ruleMatches(rule: Rec, req: SampleRequest, vsNamespace: string): boolean {
  const matches = arr(rule.match);
  if (matches.length === 0) return true;
  return matches.some((m) => matchesRequest(m, req, vsNamespace));
}

/** A rule that matches every request (no match, or only catch-all conditions like prefix "/"). */
export function isCatchAll(rule: Rec): boolean {
  const matches = arr(rule.match);
  if (matches.length === 0) return true;
  return matches.some((m) => {
    const entries = Object.entries(rec(m)).filter(([k]) => k !== "name" && k !== "ignoreUriCase");
    return entries.every(([k, v]) => k === "uri" && (str(rec(v).prefix) === "/" || str(rec(v).regex) === ".*"));
  });
}

/**
 * Is the Envoy route built from this match a catch-all (pilot's IsCatchAllRoute): no match, or a
 * uri that is absent, prefix "/" or regex ".*", and no header, method, authority, scheme or query
 * condition. (port, gateways and source conditions only decide whether the route is built.)
 */
export function isEnvoyCatchAll(match: unknown): boolean {
  if (match === undefined) return true;
  const m = rec(match);
  const uri = rec(m.uri);
  const uriAll = m.uri === undefined || str(uri.prefix) === "/" || str(uri.regex) === ".*";
  const none = (v: unknown): boolean => Object.keys(rec(v)).length === 0;
  return (
    uriAll &&
    none(m.headers) &&
    none(m.withoutHeaders) &&
    none(m.queryParams) &&
    m.method === undefined &&
    m.authority === undefined &&
    m.scheme === undefined
  );
}

/** Human-readable request for messages: `GET / with end-user: jason`. */
export function describeRequest(req: SampleRequest): string {
  const parts = [`${req.method} ${req.uri}`];
  const query = Object.entries(req.queryParams).map(([k, v]) => `${k}=${v}`);
  if (query.length > 0) parts[0] += `?${query.join("&")}`;
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`);
  if (headers.length > 0) parts.push(`with header ${headers.join(", ")}`);
  if (req.gateway !== MESH_GATEWAY) parts.push(`through gateway ${req.gateway}`);
  return parts.join(" ");
}

// httproute.backends: the shares HTTPRoutes attached to a Gateway give backends for a sample request.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import {
  arr,
  compareAge,
  describeObject,
  labelsOf,
  num,
  type Rec,
  rec,
  specOf,
  str,
  strMap,
} from "../../../istio/fields";
import { hostsOverlap } from "../../../istio/hosts";
import { fullRegexMatch } from "../../../istio/http-match";
import { formatPercent, isSamePercent, sharesOf } from "../../../istio/weights";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listNamed, listText, noneFound, pass, ZNamespace, ZPercent } from "../common";

const ZHttpRequest = z.strictObject({
  path: z.string().startsWith("/").default("/"),
  method: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  query: z.record(z.string(), z.string()).optional(),
});
type THttpRequest = z.infer<typeof ZHttpRequest>;

interface Candidate {
  route: KubeObject;
  ruleIndex: number;
  rule: Rec;
  match: Rec;
}

function parentMatches(ref: unknown, route: KubeObject, gwNs: string, gwName: string): boolean {
  const r = rec(ref);
  const kind = str(r.kind) ?? "Gateway";
  const ns = str(r.namespace) ?? route.metadata.namespace;
  return kind === "Gateway" && str(r.name) === gwName && ns === gwNs;
}

/**
 * Why a route that names the Gateway in parentRefs is not attached to any of its listeners, if it
 * is not: sectionName/port must name a listener; the listener must take HTTP routes (protocol HTTP
 * or HTTPS) from the route's namespace (allowedRoutes.namespaces.from, default Same); listener and
 * route hostnames must intersect.
 */
function attachmentProblem(route: KubeObject, gw: KubeObject, namespaces: readonly KubeObject[]): string | undefined {
  const refs = arr(specOf(route).parentRefs)
    .map(rec)
    .filter((r) => parentMatches(r, route, gw.metadata.namespace ?? "", gw.metadata.name));
  const listeners = arr(specOf(gw).listeners).map(rec);
  const routeNs = route.metadata.namespace ?? "";
  const routeHosts = arr(specOf(route).hostnames).map(String);
  const problems: string[] = [];
  for (const ref of refs) {
    const section = str(ref.sectionName);
    const port = num(ref.port);
    for (const l of listeners) {
      const lname = str(l.name) ?? "";
      if (section !== undefined && lname !== section) continue;
      if (port !== undefined && num(l.port) !== port) continue;
      const protocol = (str(l.protocol) ?? "").toUpperCase();
      if (protocol !== "HTTP" && protocol !== "HTTPS") {
        problems.push(`listener ${lname} has protocol ${protocol || "unset"}, which takes no HTTPRoute`);
        continue;
      }
      const from = str(rec(rec(rec(l.allowedRoutes).namespaces)).from) ?? "Same";
      const selector = strMap(rec(rec(rec(l.allowedRoutes).namespaces).selector).matchLabels);
      const nsLabels = labelsOf(
        namespaces.find((n) => n.metadata.name === routeNs) ?? {
          kind: "Namespace",
          apiVersion: "v1",
          metadata: { name: routeNs },
        },
      );
      const allowed =
        from === "All" ||
        (from === "Same" && routeNs === gw.metadata.namespace) ||
        (from === "Selector" && Object.entries(selector).every(([k, v]) => nsLabels[k] === v));
      if (!allowed) {
        problems.push(
          `listener ${lname} allowedRoutes.namespaces.from ${from} does not admit routes from namespace ${routeNs}`,
        );
        continue;
      }
      const lhost = str(l.hostname);
      if (
        lhost !== undefined &&
        routeHosts.length > 0 &&
        !routeHosts.some((h) => hostsOverlap(h.toLowerCase(), lhost.toLowerCase()))
      ) {
        problems.push(
          `listener ${lname} hostname ${lhost} and spec.hostnames ${routeHosts.join(", ")} do not intersect`,
        );
        continue;
      }
      return undefined;
    }
    if (section !== undefined && !listeners.some((l) => str(l.name) === section))
      problems.push(`parentRefs sectionName ${section} names no listener`);
    else if (port !== undefined && !listeners.some((l) => num(l.port) === port))
      problems.push(`parentRefs port ${port} is no listener's port`);
  }
  return `${describeObject(route)} is not attached to Gateway ${gw.metadata.namespace}/${gw.metadata.name}: ${problems.join("; ") || "no listener takes it"}`;
}

/**
 * Why the API server refuses an HTTPRoute (the Gateway API CRD's validation), if it does: a
 * backendRef to a Service must have a port ("Must have port for Service reference").
 */
function refusal(route: KubeObject): string | undefined {
  const missing: string[] = [];
  arr(specOf(route).rules).forEach((r, i) => {
    arr(rec(r).backendRefs).forEach((b, j) => {
      const ref = rec(b);
      const isService = (str(ref.group) ?? "") === "" && (str(ref.kind) ?? "Service") === "Service";
      if (isService && num(ref.port) === undefined)
        missing.push(`spec.rules[${i}].backendRefs[${j}] (${str(ref.name)})`);
    });
  });
  return missing.length > 0
    ? `the API server refuses ${describeObject(route)}: ${listText(missing)} has no port (a backendRef to a Service must have one)`
    : undefined;
}

function matchesHttp(match: Rec, req: THttpRequest): boolean {
  const path = rec(match.path);
  const type = str(path.type) ?? "PathPrefix";
  const value = str(path.value) ?? "/";
  if (type === "Exact" && req.path !== value) return false;
  if (type === "PathPrefix") {
    const prefix = value.replace(/\/+$/, "");
    if (prefix !== "" && req.path !== prefix && !req.path.startsWith(`${prefix}/`)) return false;
  }
  if (type === "RegularExpression" && !fullRegexMatch(value, req.path)) return false;
  if (str(match.method) !== undefined && str(match.method) !== (req.method ?? "GET").toUpperCase()) return false;
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const h of arr(match.headers).map(rec)) {
    const got = headers[(str(h.name) ?? "").toLowerCase()];
    if (got === undefined) return false;
    if (str(h.type) === "RegularExpression" ? !fullRegexMatch(str(h.value) ?? "", got) : got !== str(h.value))
      return false;
  }
  for (const q of arr(match.queryParams).map(rec)) {
    const got = req.query?.[str(q.name) ?? ""];
    if (got === undefined) return false;
    if (str(q.type) === "RegularExpression" ? !fullRegexMatch(str(q.value) ?? "", got) : got !== str(q.value))
      return false;
  }
  return true;
}

/** Gateway API precedence across matches: Exact path, longest prefix, method, most headers, most query params, oldest route, rule order. */
function precedence(a: Candidate, b: Candidate): number {
  const key = (c: Candidate): number[] => {
    const path = rec(c.match.path);
    const type = str(path.type) ?? "PathPrefix";
    return [
      type === "Exact" ? 1 : 0,
      type === "PathPrefix" ? (str(path.value) ?? "/").length : 0,
      c.match.method ? 1 : 0,
      arr(c.match.headers).length,
      arr(c.match.queryParams).length,
    ];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
  return compareAge(a.route, b.route) || a.ruleIndex - b.ruleIndex;
}

export const httpRouteBackends = defineCheck({
  name: "httproute.backends",
  description:
    "HTTPRoutes attached to a Gateway API Gateway send a sample request to backends in the given shares: a route attaches when the Gateway exists and a listener (sectionName/port if given, protocol HTTP or HTTPS) admits the route's namespace (allowedRoutes, default Same) and hostnames; a route the API server refuses (a Service backendRef without port) applies nowhere; the most specific matching rule wins (Gateway API precedence); backendRefs weights are relative proportions (default 1; 9:1 is 90:10); a backend Service that does not exist or lacks the port fails its share; keys are Service names (or ns/name; `ns/name` in the route's namespace is `name`).",
  params: z.strictObject({
    namespace: ZNamespace.describe("namespace of the HTTPRoutes"),
    name: z.string().min(1).optional().describe("only this HTTPRoute"),
    parent: z.string().min(1).describe("the Gateway: `name` (in `namespace`) or `ns/name`"),
    hostname: z
      .string()
      .min(1)
      .optional()
      .describe("the request's host; routes whose hostnames do not cover it are skipped"),
    request: ZHttpRequest.default({ path: "/" }),
    expect: z.record(z.string().min(1), ZPercent).refine((e) => Object.keys(e).length > 0, "name at least one backend"),
  }),
  example: { namespace: "shop", parent: "gateway", expect: { "reviews-v1": 90, "reviews-v2": 10 } },
  kinds: [K.httpRoute, K.k8sGateway, K.namespace, K.service],
  run(p, { snapshot }) {
    const [gwNs, gwName] = p.parent.includes("/") ? p.parent.split("/") : [p.namespace, p.parent];
    const naming = listNamed(snapshot, K.httpRoute, p.namespace, p.name).filter((r) =>
      arr(specOf(r).parentRefs).some((ref) => parentMatches(ref, r, gwNs, gwName)),
    );
    if (naming.length === 0)
      return fail(
        `${noneFound("HTTPRoute", p.namespace, p.name)} attached to Gateway ${gwNs}/${gwName} (spec.parentRefs)`,
      );
    const gw = snapshot.get(K.k8sGateway, gwName, gwNs);
    if (!gw)
      return fail(
        `no Gateway (gateway.networking.k8s.io) ${gwNs}/${gwName}, which ${listText(naming.map(describeObject))} name in spec.parentRefs`,
      );
    const namespaces = snapshot.list(K.namespace);
    const problems: string[] = [];
    const routes = naming.filter((r) => {
      const problem = refusal(r) ?? attachmentProblem(r, gw, namespaces);
      if (problem) problems.push(problem);
      return problem === undefined;
    });
    if (routes.length === 0)
      return fail(
        problems.join("; "),
        naming.map((r) => evidenceOf(r, "spec")),
      );
    const hosted = routes.filter((r) => {
      const names = arr(specOf(r).hostnames).map(String);
      return (
        p.hostname === undefined ||
        names.length === 0 ||
        names.some((h) => hostsOverlap(h.toLowerCase(), p.hostname?.toLowerCase() ?? ""))
      );
    });
    if (hosted.length === 0)
      return fail(
        `no HTTPRoute attached to ${gwNs}/${gwName} serves hostname ${p.hostname} (${routes.map((r) => `${describeObject(r)} spec.hostnames: ${arr(specOf(r).hostnames).map(String).join(", ")}`).join("; ")})`,
      );
    const candidates: Candidate[] = hosted.flatMap((route) =>
      arr(specOf(route).rules).flatMap((r, ruleIndex) => {
        const rule = rec(r);
        const matches =
          arr(rule.matches).length > 0 ? arr(rule.matches).map(rec) : [{ path: { type: "PathPrefix", value: "/" } }];
        return matches.filter((m) => matchesHttp(m, p.request)).map((match) => ({ route, ruleIndex, rule, match }));
      }),
    );
    if (candidates.length === 0)
      return fail(
        `no rule of ${listText(hosted.map(describeObject))} matches ${p.request.method ?? "GET"} ${p.request.path} (spec.rules[].matches)`,
        hosted.map((r) => evidenceOf(r, "spec.rules")),
      );
    const best = [...candidates].sort(precedence)[0];
    const where = `${describeObject(best.route)} spec.rules[${best.ruleIndex}]`;
    const refs = arr(best.rule.backendRefs).map(rec);
    if (refs.length === 0) return fail(`${where} has no backendRefs`);
    const shares = sharesOf(refs.map((b) => num(b.weight) ?? 1)) ?? refs.map(() => 0);
    // A backend in the route's own namespace is `name`, however it (or the expectation) is written.
    const routeNs = best.route.metadata.namespace;
    const keyOf = (ns: string | undefined, name: string): string => (ns && ns !== routeNs ? `${ns}/${name}` : name);
    const expectKey = (key: string): string => {
      const slash = key.indexOf("/");
      return slash > 0 ? keyOf(key.slice(0, slash), key.slice(slash + 1)) : key;
    };
    const actual = new Map<string, number>();
    refs.forEach((b, i) => {
      const key = keyOf(str(b.namespace), str(b.name) ?? "");
      actual.set(key, (actual.get(key) ?? 0) + shares[i]);
    });
    const wrong: string[] = [];
    const expected = new Set(Object.keys(p.expect).map(expectKey));
    for (const [key, want] of Object.entries(p.expect)) {
      const got = actual.get(expectKey(key)) ?? 0;
      if (!isSamePercent(got, want)) wrong.push(`${key} gets ${formatPercent(got)}, expected ${formatPercent(want)}`);
    }
    for (const [key, got] of actual)
      if (!expected.has(key) && got > 0) wrong.push(`${key} gets ${formatPercent(got)}, expected 0%`);
    // A backend Service that does not exist, or lacks the port, answers its share with an error (ResolvedRefs False).
    refs.forEach((b, i) => {
      if (shares[i] <= 0 || (str(b.group) ?? "") !== "" || (str(b.kind) ?? "Service") !== "Service") return;
      const ns = str(b.namespace) ?? routeNs ?? "";
      const svc = snapshot.get(K.service, str(b.name) ?? "", ns);
      const at = `spec.rules[${best.ruleIndex}].backendRefs[${i}]`;
      if (!svc)
        wrong.push(
          `${at} names Service ${ns}/${str(b.name)}, which does not exist (its ${formatPercent(shares[i])} fail)`,
        );
      else if (!arr(rec(svc.spec).ports).some((x) => num(rec(x).port) === num(b.port)))
        wrong.push(
          `${at} port ${num(b.port)} is not a port of Service ${ns}/${str(b.name)} (its ${formatPercent(shares[i])} fail)`,
        );
    });
    const summary = [...actual].map(([k, v]) => `${formatPercent(v)} to ${k}`).join(", ");
    const evidence = [evidenceOf(best.route, `spec.rules[${best.ruleIndex}].backendRefs`, summary)];
    if (wrong.length > 0) return fail(`${where} sends ${summary}: ${wrong.join("; ")}`, evidence);
    return pass(`${where} sends ${summary}`, evidence);
  },
});

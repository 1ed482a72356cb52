// httproute.backends: the shares HTTPRoutes attached to a Gateway give backends for a sample request.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { arr, compareAge, describeObject, num, type Rec, rec, show, specOf, str } from "../../../istio/fields";
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
    "HTTPRoutes attached to a Gateway API Gateway send a sample request to backends in the given shares: the most specific matching rule wins (Gateway API precedence), backendRefs weights are relative (default 1), keys are Service names (or ns/name; `ns/name` in the route's namespace is `name`).",
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
  kinds: [K.httpRoute],
  run(p, { snapshot }) {
    const [gwNs, gwName] = p.parent.includes("/") ? p.parent.split("/") : [p.namespace, p.parent];
    const routes = listNamed(snapshot, K.httpRoute, p.namespace, p.name).filter((r) =>
      arr(specOf(r).parentRefs).some((ref) => parentMatches(ref, r, gwNs, gwName)),
    );
    if (routes.length === 0)
      return fail(
        `${noneFound("HTTPRoute", p.namespace, p.name)} attached to Gateway ${gwNs}/${gwName} (spec.parentRefs)`,
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
        `no HTTPRoute attached to ${gwNs}/${gwName} serves hostname ${p.hostname} (${routes.map((r) => `${describeObject(r)} has ${show(specOf(r).hostnames)}`).join("; ")})`,
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
        `no rule of ${listText(hosted.map(describeObject))} matches ${p.request.method ?? "GET"} ${p.request.path}`,
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
    const summary = [...actual].map(([k, v]) => `${formatPercent(v)} to ${k}`).join(", ");
    const evidence = [evidenceOf(best.route, `spec.rules[${best.ruleIndex}].backendRefs`, summary)];
    if (wrong.length > 0) return fail(`${where} sends ${summary}: ${wrong.join("; ")}`, evidence);
    return pass(`${where} sends ${summary}`, evidence);
  },
});

// VirtualService checks graded by what a sample request runs into: the rule it hits, where
// that rule sends it, and what the rule does on the way.
import { z } from "zod";
import { isSameDuration, parseDuration } from "../../istio/duration";
import { arr, bool, isRec, num, type Rec, rec, show, str, strMap, strs } from "../../istio/fields";
import { describeHost, resolveHost } from "../../istio/hosts";
import { matchesString } from "../../istio/http-match";
import { effectiveShares, formatPercent, isSamePercent, type WeightedDestination } from "../../istio/weights";
import { defineCheck } from "../types";
import { evidenceOf, fail, listText, pass, ZDurationParam, ZInt, ZPercent, ZRequest, ZStringList } from "./common";
import {
  findMatchedRule,
  isRuleContext,
  type RuleContext,
  routeKinds,
  withMatchedRule,
  ZRouteTarget,
} from "./vs-context";

function describeDestination(d: WeightedDestination, target: string): string {
  const of = d.host === target ? "" : ` of ${describeHost(d.writtenHost, d.host)}`;
  return d.subset ? `subset ${d.subset}${of}` : `host ${describeHost(d.writtenHost, d.host)}`;
}

/** Which destinations an `expect` key names: `subset`, `host` or `host/subset`. */
function destinationsFor(
  key: string,
  dests: WeightedDestination[],
  target: string,
  namespace: string,
): WeightedDestination[] {
  const slash = key.lastIndexOf("/");
  if (slash > 0) {
    const host = resolveHost(key.slice(0, slash), namespace);
    const subset = key.slice(slash + 1);
    return dests.filter((d) => d.host === host && d.subset === subset);
  }
  const bySubset = dests.filter((d) => d.host === target && d.subset === key);
  if (bySubset.length > 0) return bySubset;
  const host = resolveHost(key, namespace);
  return dests.filter((d) => d.host === host);
}

function routeOf(ctx: RuleContext): { problem?: string; shares?: ReturnType<typeof effectiveShares> } {
  const rule = ctx.rule.rule;
  if (isRec(rule.redirect)) return { problem: `${ctx.where} answers with a redirect, not a route` };
  if (isRec(rule.directResponse)) return { problem: `${ctx.where} answers with a directResponse, not a route` };
  if (arr(rule.route).length === 0) return { problem: `${ctx.where} has no route` };
  const shares = effectiveShares(rule.route, ctx.rule.vs.metadata.namespace ?? "");
  if (shares.problem) return { problem: `${ctx.where}.route: ${shares.problem}; Istio rejects these weights` };
  return { shares };
}

export const virtualServiceRoutes = defineCheck({
  name: "virtualservice.routes",
  description:
    "The share of requests each destination gets from the VirtualService rule a request hits (the VirtualService Istio uses for the host, delegates merged; TCP rules when it has no HTTP rules). Weights are relative: 9:1 equals 90:10; one destination without weight gets 100%.",
  params: ZRouteTarget.extend({
    expect: z
      .record(z.string().min(1), ZPercent)
      .refine((e) => Object.keys(e).length > 0, "name at least one destination")
      .describe(
        "percent per destination: a subset of `host`, another host, or `host/subset`; unnamed destinations must get 0%",
      ),
  }).strict(),
  example: { host: "reviews", namespace: "shop", expect: { v1: 90, v2: 10 } },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const { problem, shares } = routeOf(ctx);
      if (problem || !shares) return fail(problem ?? "no route");
      const target = ctx.host.resolved;
      const assigned = new Set<WeightedDestination>();
      const wrong: string[] = [];
      for (const [key, expected] of Object.entries(p.expect)) {
        const dests = destinationsFor(key, shares.destinations, target, p.namespace).filter((d) => !assigned.has(d));
        for (const d of dests) assigned.add(d);
        const actual = dests.reduce((s, d) => s + d.percent, 0);
        if (!isSamePercent(actual, expected))
          wrong.push(`${key} gets ${formatPercent(actual)}, expected ${formatPercent(expected)}`);
      }
      for (const d of shares.destinations) {
        if (!assigned.has(d) && d.percent > 0)
          wrong.push(`${describeDestination(d, target)} gets ${formatPercent(d.percent)}, expected 0%`);
      }
      const summary = shares.destinations
        .map((d) => `${formatPercent(d.percent)} to ${describeDestination(d, target)}`)
        .join(", ");
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.route`, summary)];
      if (wrong.length > 0) return fail(`${ctx.where}.route sends ${summary}: ${wrong.join("; ")}`, evidence);
      return pass(`${ctx.where} sends ${summary}`, evidence);
    });
  },
});

interface MirrorEntry {
  path: string;
  host: string;
  writtenHost: string;
  subset?: string;
  percent: number;
  percentField: string;
  percentWritten: unknown;
}

function mirrorsOf(rule: Rec, path: string, namespace: string): MirrorEntry[] {
  const out: MirrorEntry[] = [];
  if (isRec(rule.mirror)) {
    const written = rec(rule.mirrorPercentage).value ?? rule.mirrorPercent;
    const field =
      rule.mirrorPercentage !== undefined
        ? "mirrorPercentage.value"
        : rule.mirrorPercent !== undefined
          ? "mirrorPercent"
          : "mirrorPercentage";
    out.push({
      path: `${path}.mirror`,
      writtenHost: str(rule.mirror.host) ?? "",
      host: resolveHost(str(rule.mirror.host) ?? "", namespace),
      subset: str(rule.mirror.subset),
      // pilot's MirrorPercent: a percentage written without a value (or 0) mirrors nothing; none at all mirrors 100%.
      percent: field === "mirrorPercentage" ? 100 : (num(written) ?? 0),
      percentField: `${path}.${field}`,
      percentWritten: written,
    });
  }
  arr(rule.mirrors).forEach((m, i) => {
    const d = rec(rec(m).destination);
    const written = rec(rec(m).percentage).value;
    out.push({
      path: `${path}.mirrors[${i}].destination`,
      writtenHost: str(d.host) ?? "",
      host: resolveHost(str(d.host) ?? "", namespace),
      subset: str(d.subset),
      percent: rec(m).percentage === undefined ? 100 : (num(written) ?? 0),
      percentField: `${path}.mirrors[${i}].percentage${rec(m).percentage === undefined ? "" : ".value"}`,
      percentWritten: written,
    });
  });
  return out;
}

export const virtualServiceMirror = defineCheck({
  name: "virtualservice.mirror",
  description:
    "The rule a request hits mirrors a copy of it to a host/subset, optionally a given percentage. Accepts `mirror` (+ `mirrorPercentage`, or the old `mirrorPercent`) or `mirrors[]`; both at once is rejected. No percentage means 100%.",
  params: ZRouteTarget.extend({
    subset: z.string().min(1).optional().describe("subset the copy goes to; any subset when omitted"),
    mirrorHost: z.string().min(1).optional().describe("host the copy goes to; default `host`"),
    percent: ZPercent.optional().describe("share of requests mirrored; when omitted, any share above 0"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", subset: "v2", percent: 50 },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const rule = ctx.rule.rule;
      const vs = ctx.rule.vs;
      if (rule.mirror !== undefined && rule.mirrors !== undefined) {
        return fail(`${ctx.where} sets both mirror and mirrors; Istio rejects a route with both`, [
          evidenceOf(vs, ctx.path),
        ]);
      }
      const mirrors = mirrorsOf(rule, ctx.path, vs.metadata.namespace ?? "");
      const wantHost = resolveHost(p.mirrorHost ?? p.host, p.namespace);
      const wantText = `${p.subset ? `subset ${JSON.stringify(p.subset)} of ` : ""}${describeHost(p.mirrorHost ?? p.host, wantHost)}`;
      if (mirrors.length === 0)
        return fail(`${ctx.where} has no mirror (expected a copy to ${wantText})`, [evidenceOf(vs, ctx.path)]);
      const hits = mirrors.filter((m) => m.host === wantHost && (p.subset === undefined || m.subset === p.subset));
      if (hits.length === 0) {
        const m = mirrors[0];
        const field =
          mirrors.length === 1 && m.host === wantHost
            ? `${m.path}.subset is ${show(m.subset)}, expected ${JSON.stringify(p.subset)}`
            : undefined;
        const actual = mirrors.map(
          (x) => `${x.subset ? `subset ${x.subset} of ` : ""}${describeHost(x.writtenHost, x.host)}`,
        );
        return fail(
          `${vsPrefix(ctx)}${field ?? `mirrors to ${listText(actual)}, expected ${wantText}`}`,
          mirrors.map((x) => evidenceOf(vs, x.path)),
        );
      }
      const hit = hits[0];
      const evidence = [evidenceOf(vs, hit.percentField, hit.percentWritten)];
      if (p.percent !== undefined && !isSamePercent(hit.percent, p.percent)) {
        const written =
          hit.percentWritten !== undefined
            ? show(hit.percentWritten)
            : `unset (mirrors ${hit.percent > 0 ? "100%" : "nothing"})`;
        return fail(`${vsPrefix(ctx)}${hit.percentField} is ${written}, expected ${p.percent}`, evidence);
      }
      if (hit.percent <= 0) return fail(`${vsPrefix(ctx)}${hit.percentField} is 0: nothing is mirrored`, evidence);
      return pass(`${ctx.where} mirrors ${formatPercent(hit.percent)} of requests to ${wantText}`, evidence);
    });
  },
});

/** `VirtualService ns/name ` so that a field path follows. */
function vsPrefix(ctx: RuleContext): string {
  const via = ctx.rule.via ? ` (delegated from ${ctx.rule.via})` : "";
  return `VirtualService ${ctx.rule.vs.metadata.namespace}/${ctx.rule.vs.metadata.name}${via} `;
}

const ISTIO_DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

export const virtualServiceRetries = defineCheck({
  name: "virtualservice.retries",
  description:
    "The retry policy of the rule a request hits. retryOn passes when it contains every listed condition (order and extra conditions do not matter; unset means Istio's default conditions); retries without attempts (or attempts 0) are disabled, as in Istio; durations compare by value.",
  params: ZRouteTarget.extend({
    attempts: ZInt.optional(),
    perTryTimeout: ZDurationParam.optional(),
    retryOn: ZStringList.optional().describe(
      "conditions that must be in retryOn, as a list or a comma-separated string",
    ),
  }).strict(),
  example: { host: "reviews", namespace: "shop", attempts: 3, perTryTimeout: "2s", retryOn: "5xx,connect-failure" },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const retries = ctx.rule.rule.retries;
      const vs = ctx.rule.vs;
      const at = `${vsPrefix(ctx)}${ctx.path}.retries`;
      if (!isRec(retries)) {
        return fail(`${at} is unset (Istio's default: 2 attempts on ${ISTIO_DEFAULT_RETRY_ON})`, [
          evidenceOf(vs, `${ctx.path}.retries`),
        ]);
      }
      const evidence = [evidenceOf(vs, `${ctx.path}.retries`, retries)];
      // Istio: retries without attempts (or attempts <= 0) disable retrying altogether.
      const attempts = Math.max(num(retries.attempts) ?? 0, 0);
      if (attempts === 0 && (p.attempts ?? 1) !== 0) {
        return fail(
          `${at}.attempts is ${show(retries.attempts)}, so Istio disables retries${p.attempts !== undefined ? `, expected ${p.attempts}` : ""}`,
          evidence,
        );
      }
      if (attempts === 0) return pass(`${ctx.where} disables retries (attempts ${show(retries.attempts)})`, evidence);
      const wrong: string[] = [];
      if (p.attempts !== undefined && attempts !== p.attempts)
        wrong.push(`attempts is ${show(retries.attempts)}, expected ${p.attempts}`);
      if (p.perTryTimeout !== undefined && !isSameDuration(retries.perTryTimeout, p.perTryTimeout)) {
        wrong.push(`perTryTimeout is ${show(retries.perTryTimeout)}, expected ${p.perTryTimeout}`);
      }
      if (p.retryOn !== undefined) {
        const want = p.retryOn
          .flatMap((s) => s.split(","))
          .map((s) => s.trim())
          .filter(Boolean);
        // An unset retryOn keeps Istio's default conditions.
        const have = (str(retries.retryOn) || ISTIO_DEFAULT_RETRY_ON).split(",").map((s) => s.trim());
        const missing = want.filter((w) => !have.includes(w));
        if (missing.length > 0) {
          const shown = str(retries.retryOn)
            ? show(retries.retryOn)
            : `unset (Istio's default: ${ISTIO_DEFAULT_RETRY_ON})`;
          wrong.push(`retryOn is ${shown}, missing ${listText(missing)}`);
        }
      }
      if (wrong.length > 0) return fail(`${at}: ${wrong.join("; ")}`, evidence);
      return pass(`${ctx.where} retries ${show(retries)}`, evidence);
    });
  },
});

export const virtualServiceTimeout = defineCheck({
  name: "virtualservice.timeout",
  description:
    "The timeout of the rule a request hits; durations compare by value (5s = 5.0s = 5000ms); an unset timeout is 0s (none).",
  params: ZRouteTarget.extend({ timeout: ZDurationParam }).strict(),
  example: { host: "reviews", namespace: "shop", timeout: "5s" },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const actual = ctx.rule.rule.timeout;
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.timeout`, actual)];
      if (actual === undefined) {
        if (parseDuration(p.timeout) === 0) return pass(`${ctx.where} has no timeout (unset, as 0s)`, evidence);
        return fail(`${vsPrefix(ctx)}${ctx.path}.timeout is unset (no timeout), expected ${p.timeout}`, evidence);
      }
      if (!isSameDuration(actual, p.timeout))
        return fail(`${vsPrefix(ctx)}${ctx.path}.timeout is ${show(actual)}, expected ${p.timeout}`, evidence);
      return pass(`${ctx.where} has timeout ${show(actual)}`, evidence);
    });
  },
});

const ZFaultExpect = z.strictObject({
  delay: z
    .strictObject({
      fixedDelay: ZDurationParam.optional(),
      percent: ZPercent.optional().describe("default: any share above 0"),
    })
    .optional(),
  abort: z
    .strictObject({ httpStatus: ZInt.optional(), percent: ZPercent.optional().describe("default: any share above 0") })
    .optional(),
});

/** Share a fault applies to: percentage.value, the old integer `percent`, else 0 (Istio injects into no request). */
function faultPercent(f: Rec): { percent: number; written: unknown; field: string } {
  if (f.percentage !== undefined)
    return { percent: num(rec(f.percentage).value) ?? 0, written: rec(f.percentage).value, field: "percentage.value" };
  if (f.percent !== undefined) return { percent: num(f.percent) ?? 0, written: f.percent, field: "percent" };
  return { percent: 0, written: undefined, field: "percentage" };
}

export const virtualServiceFault = defineCheck({
  name: "virtualservice.fault",
  description:
    "Fault injection on the rule a request hits (delay and/or abort, with percentage). Scope it to one user with `request` and check others are spared with `unaffectedRequest`. An unset percentage injects into no request.",
  params: ZRouteTarget.extend({
    ...ZFaultExpect.shape,
    unaffectedRequest: ZRequest.optional().describe("a request that must not get this fault (e.g. another user)"),
  })
    .strict()
    .refine((p) => p.delay !== undefined || p.abort !== undefined, "expect a delay, an abort, or both"),
  example: {
    host: "ratings",
    namespace: "shop",
    request: { headers: { "end-user": "jason" } },
    delay: { fixedDelay: "7s", percent: 100 },
    unaffectedRequest: { headers: { "end-user": "bob" } },
  },
  kinds: routeKinds,
  run(p, { snapshot }) {
    const affected = withMatchedRule(p, snapshot, (ctx) => {
      const fault = rec(ctx.rule.rule.fault);
      const at = `${vsPrefix(ctx)}${ctx.path}.fault`;
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.fault`, ctx.rule.rule.fault)];
      const wrong: string[] = [];
      for (const kind of ["delay", "abort"] as const) {
        const want = p[kind];
        if (!want) continue;
        const got = fault[kind];
        if (!isRec(got)) {
          wrong.push(`${kind} is unset`);
          continue;
        }
        if (
          kind === "delay" &&
          p.delay?.fixedDelay !== undefined &&
          !isSameDuration(got.fixedDelay, p.delay.fixedDelay)
        ) {
          wrong.push(`delay.fixedDelay is ${show(got.fixedDelay)}, expected ${p.delay.fixedDelay}`);
        }
        if (kind === "abort" && p.abort?.httpStatus !== undefined && num(got.httpStatus) !== p.abort.httpStatus) {
          wrong.push(`abort.httpStatus is ${show(got.httpStatus)}, expected ${p.abort.httpStatus}`);
        }
        const share = faultPercent(got);
        if (want.percent !== undefined ? !isSamePercent(share.percent, want.percent) : share.percent <= 0) {
          const written =
            share.written === undefined ? "unset (Istio then injects into no request)" : show(share.written);
          wrong.push(`${kind}.${share.field} is ${written}, expected ${want.percent ?? "a share above 0"}`);
        }
      }
      if (wrong.length > 0) return fail(`${at}: ${wrong.join("; ")}`, evidence);
      return pass(`${ctx.where} injects ${show(ctx.rule.rule.fault)}`, evidence);
    });
    if (affected.status === "fail" || !p.unaffectedRequest) return affected;
    // A request that hits no rule gets no fault either.
    const other = findMatchedRule({ ...p, request: p.unaffectedRequest }, snapshot);
    if (isRuleContext(other)) {
      const fault = rec(other.rule.rule.fault);
      const hit = (["delay", "abort"] as const).filter(
        (k) => p[k] && isRec(fault[k]) && faultPercent(rec(fault[k])).percent > 0,
      );
      if (hit.length > 0) {
        return fail(
          `${other.where} also injects the ${listText(hit)} into ${JSON.stringify(p.unaffectedRequest)}, which should be spared`,
          [evidenceOf(other.rule.vs, `${other.path}.fault`, other.rule.rule.fault)],
        );
      }
    }
    return { ...affected, message: `${affected.message}; ${JSON.stringify(p.unaffectedRequest)} is spared` };
  },
});

export const virtualServiceCors = defineCheck({
  name: "virtualservice.cors",
  description:
    "The corsPolicy of the rule a request hits: every listed origin is allowed by allowOrigins (exact/prefix/regex, or the old allowOrigin list), listed methods and headers are present (case-insensitive), maxAge compares by value.",
  params: ZRouteTarget.extend({
    allowOrigins: ZStringList.optional().describe("origins that must be allowed, e.g. https://example.com"),
    allowMethods: ZStringList.optional(),
    allowHeaders: ZStringList.optional(),
    exposeHeaders: ZStringList.optional(),
    maxAge: ZDurationParam.optional(),
    allowCredentials: z.boolean().optional(),
  }).strict(),
  example: {
    host: "reviews",
    namespace: "shop",
    allowOrigins: ["https://example.com"],
    allowMethods: ["GET", "POST"],
    maxAge: "24h",
  },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const cors = ctx.rule.rule.corsPolicy;
      const at = `${vsPrefix(ctx)}${ctx.path}.corsPolicy`;
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.corsPolicy`, cors)];
      if (!isRec(cors)) return fail(`${at} is unset`, evidence);
      const wrong: string[] = [];
      for (const origin of p.allowOrigins ?? []) {
        // Envoy allows any origin when a matcher also matches the text "*".
        const allowed =
          arr(cors.allowOrigins).some((m) => matchesString(m, origin) || matchesString(m, "*")) ||
          strs(cors.allowOrigin).some((o) => o === origin || o === "*");
        if (!allowed)
          wrong.push(`origin ${origin} is not allowed by allowOrigins ${show(cors.allowOrigins ?? cors.allowOrigin)}`);
      }
      const lists = [
        ["allowMethods", p.allowMethods],
        ["allowHeaders", p.allowHeaders],
        ["exposeHeaders", p.exposeHeaders],
      ] as const;
      for (const [field, want] of lists) {
        const have = strs(cors[field]).map((s) => s.toLowerCase());
        const missing = (want ?? []).filter((w) => !have.includes(w.toLowerCase()) && !have.includes("*"));
        if (missing.length > 0) wrong.push(`${field} ${show(cors[field])} lacks ${listText(missing)}`);
      }
      if (p.maxAge !== undefined && !isSameDuration(cors.maxAge, p.maxAge))
        wrong.push(`maxAge is ${show(cors.maxAge)}, expected ${p.maxAge}`);
      if (p.allowCredentials !== undefined && (bool(cors.allowCredentials) ?? false) !== p.allowCredentials) {
        wrong.push(`allowCredentials is ${show(cors.allowCredentials)}, expected ${p.allowCredentials}`);
      }
      if (wrong.length > 0) return fail(`${at}: ${wrong.join("; ")}`, evidence);
      return pass(`${ctx.where} has corsPolicy ${show(cors)}`, evidence);
    });
  },
});

const ZHeaderOps = z.strictObject({
  set: z
    .record(z.string(), z.string())
    .optional()
    .describe("headers that end up with these values (`set` or `add` both pass)"),
  remove: ZStringList.optional(),
});

export const virtualServiceHeaders = defineCheck({
  name: "virtualservice.headers",
  description:
    "Header manipulation on the rule a request hits: at rule level (`headers`) or on every destination that gets traffic (`route[].headers`). A header to set passes with `set` or `add`; names are case-insensitive.",
  params: ZRouteTarget.extend({ requestHeaders: ZHeaderOps.optional(), responseHeaders: ZHeaderOps.optional() })
    .strict()
    .refine(
      (p) => p.requestHeaders !== undefined || p.responseHeaders !== undefined,
      "expect requestHeaders, responseHeaders or both",
    ),
  example: {
    host: "reviews",
    namespace: "shop",
    requestHeaders: { set: { "x-team": "blue" } },
    responseHeaders: { remove: ["x-powered-by"] },
  },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const rule = ctx.rule.rule;
      const routes = arr(rule.route).map(rec);
      const shares = effectiveShares(rule.route, ctx.rule.vs.metadata.namespace ?? "").destinations;
      const live = routes.filter((_, i) => (shares[i]?.percent ?? 0) > 0);
      const wrong: string[] = [];
      for (const [dir, want] of [
        ["request", p.requestHeaders],
        ["response", p.responseHeaders],
      ] as const) {
        if (!want) continue;
        const opsAt = (h: unknown): Rec => rec(rec(h)[dir]);
        const levels = [opsAt(rule.headers)];
        const perRoute = live.map((r) => opsAt(r.headers));
        const has = (test: (ops: Rec) => boolean): boolean =>
          levels.some(test) || (perRoute.length > 0 && perRoute.every(test));
        for (const [name, value] of Object.entries(want.set ?? {})) {
          const sets = (ops: Rec): boolean =>
            [ops.set, ops.add].some((m) =>
              Object.entries(strMap(m)).some(([k, v]) => k.toLowerCase() === name.toLowerCase() && v === value),
            );
          if (!has(sets)) wrong.push(`${dir} header ${name}: ${value} is not set`);
        }
        for (const name of want.remove ?? []) {
          const removes = (ops: Rec): boolean => strs(ops.remove).some((k) => k.toLowerCase() === name.toLowerCase());
          if (!has(removes)) wrong.push(`${dir} header ${name} is not removed`);
        }
      }
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.headers`, rule.headers)];
      if (wrong.length > 0) return fail(`${ctx.where}: ${wrong.join("; ")}`, evidence);
      return pass(`${ctx.where} manipulates headers as expected`, evidence);
    });
  },
});

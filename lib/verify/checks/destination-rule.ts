// DestinationRule checks, always on the DestinationRule a client actually uses for the host
// (client namespace, then service namespace, then root namespace; same-namespace rules merged).
import { z } from "zod";
import { K } from "../../cluster/kinds";
import type { KubeObject } from "../../cluster/types";
import { type DestinationRuleView, drHost, effectivePolicy, findDestinationRule } from "../../istio/destination-rule";
import { isSameDuration, parseDuration } from "../../istio/duration";
import { arr, describeObject, isRec, labelsOf, num, type Rec, rec, show, str, strMap } from "../../istio/fields";
import { explainHost, hostCovers, parseServiceHost } from "../../istio/hosts";
import { isPodRunningOrPending, templateOf } from "../../istio/injection";
import { formatLabels, matchesLabels } from "../../istio/labels";
import { type CheckOutcome, defineCheck, type Snapshot } from "../types";
import {
  evidenceOf,
  fail,
  hostParam,
  listText,
  pass,
  rootNamespace,
  ZDurationParam,
  ZHostParam,
  ZLabels,
  ZNamespace,
  ZNumber,
  ZPort,
} from "./common";

const ZDrTarget = z.object({
  host: ZHostParam,
  namespace: ZNamespace.describe("namespace of the service (short hosts resolve here)"),
  fromNamespace: z.string().min(1).optional().describe("namespace of the calling client; default `namespace`"),
});
type TDrTarget = z.infer<typeof ZDrTarget>;

const ZPolicyTarget = ZDrTarget.extend({
  subset: z.string().min(1).optional().describe("grade the policy this subset gets (its own overrides the top level)"),
  port: ZPort.optional().describe(
    "grade the policy for this port (its portLevelSettings entry replaces loadBalancer, connectionPool, outlierDetection and tls)",
  ),
});

const drKinds = [K.destinationRule, K.configMap] as const;

function drLabel(dr: DestinationRuleView): string {
  const names = dr.sources.map((s) => s.metadata.name);
  return `DestinationRule ${dr.namespace}/${names.join("+")}`;
}

/** Grades the DestinationRule a client uses for the host, or fails naming near misses. */
function withDestinationRule(
  p: TDrTarget,
  snapshot: Snapshot,
  grade: (dr: DestinationRuleView) => CheckOutcome,
): CheckOutcome {
  const drs = snapshot.list(K.destinationRule);
  const host = hostParam(p.host, p.namespace);
  const client = p.fromNamespace ?? p.namespace;
  const dr = findDestinationRule(drs, {
    host: host.resolved,
    clientNamespace: client,
    rootNamespace: rootNamespace(snapshot),
  });
  if (dr) return grade(dr);
  const short = host.written.split(".")[0];
  const near = drs
    .filter((d) => (str(rec(d.spec).host) ?? "").split(".")[0] === short)
    .map((d) => {
      const written = str(rec(d.spec).host) ?? "";
      if (hostCovers(drHost(d), host.resolved))
        return `${describeObject(d)} spec.host ${JSON.stringify(written)} matches, but it is not visible to namespace ${client} (exportTo)`;
      return `${describeObject(d)} spec.host is ${JSON.stringify(written)}, ${explainHost(written, drHost(d))}`;
    });
  const head = `no DestinationRule for host ${host.text} applies to clients in namespace ${client}`;
  return fail(near.length > 0 ? `${head}: ${near.join("; ")}` : head);
}

/** Pods (running or pending) and workload templates of the Service behind a host. */
function serviceBackends(
  snapshot: Snapshot,
  host: string,
): { service?: KubeObject; labelSets: { labels: Record<string, string>; from: string }[] } {
  const svc = parseServiceHost(host);
  const service = svc ? snapshot.get(K.service, svc.name, svc.namespace) : undefined;
  if (!service || !svc) return { labelSets: [] };
  const selector = strMap(rec(service.spec).selector);
  if (Object.keys(selector).length === 0) return { service, labelSets: [] };
  const pods = snapshot
    .list(K.pod, svc.namespace)
    .filter(isPodRunningOrPending)
    .map((pod) => ({ labels: labelsOf(pod), from: describeObject(pod) }));
  const templates = [...snapshot.list(K.deployment, svc.namespace), ...snapshot.list(K.daemonSet, svc.namespace)].map(
    (w) => ({
      labels: templateOf(w).labels,
      from: `${describeObject(w)}'s pod template`,
    }),
  );
  const labelSets = [...pods, ...templates].filter((s) => matchesLabels(selector, s.labels));
  return { service, labelSets };
}

export const destinationRuleSubsets = defineCheck({
  name: "destinationrule.subsets",
  description:
    "The DestinationRule a client uses for the host defines these subsets, and each subset's labels select pods (or Deployment pod templates) of the host's Service.",
  params: ZDrTarget.extend({
    subsets: z
      .union([z.array(z.string().min(1)).min(1), z.record(z.string(), ZLabels)])
      .describe("subset names, or name → labels the subset must include"),
    selectPods: z
      .boolean()
      .default(true)
      .describe("each subset must select at least one pod or pod template of the Service"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", subsets: ["v1", "v2"] },
  kinds: [...drKinds, K.service, K.pod, K.deployment, K.daemonSet],
  run(p, { snapshot }) {
    return withDestinationRule(p, snapshot, (dr) => {
      const expected: Record<string, Record<string, string>> = Array.isArray(p.subsets)
        ? Object.fromEntries(p.subsets.map((s) => [s, {}]))
        : p.subsets;
      const label = drLabel(dr);
      const problems: string[] = [];
      const backends = p.selectPods ? serviceBackends(snapshot, hostParam(p.host, p.namespace).resolved) : undefined;
      for (const [name, labels] of Object.entries(expected)) {
        const subset = dr.subsets.find((s) => s.name === name);
        if (!subset) {
          problems.push(
            `${label} has no subset ${JSON.stringify(name)} (it has ${listText(dr.subsets.map((s) => JSON.stringify(s.name))) || "none"})`,
          );
          continue;
        }
        const where = `${describeObject(subset.source)} ${subset.path}`;
        const missing = Object.entries(labels).filter(([k, v]) => subset.labels[k] !== v);
        if (missing.length > 0) {
          problems.push(
            `${where}.labels is ${formatLabels(subset.labels)}, expected ${formatLabels(Object.fromEntries(missing))}`,
          );
          continue;
        }
        if (!backends?.service) continue;
        const selected = backends.labelSets.filter((s) => matchesLabels(subset.labels, s.labels));
        if (selected.length === 0) {
          const keys = Object.keys(subset.labels);
          const seen = [
            ...new Set(
              backends.labelSets.map((s) =>
                formatLabels(Object.fromEntries(keys.filter((k) => k in s.labels).map((k) => [k, s.labels[k]]))),
              ),
            ),
          ];
          const have = seen.filter((x) => x !== "(none)");
          problems.push(
            `${where}.labels ${formatLabels(subset.labels)} select no pod of ${describeObject(backends.service)}${have.length > 0 ? ` (its pods have ${listText(have)})` : ""}`,
          );
        }
      }
      const evidence = dr.sources.map((s) => evidenceOf(s, "spec.subsets"));
      if (problems.length > 0) return fail(problems.join("; "), evidence);
      const note =
        p.selectPods && !backends?.service ? " (no Service found for the host, so pod selection was not checked)" : "";
      return pass(`${label} defines ${listText(Object.keys(expected))}${note}`, evidence);
    });
  },
});

// Istio's default algorithm (no loadBalancer, no simple, or UNSPECIFIED) is LEAST_REQUEST.
const LB_ALIASES: Record<string, string> = { LEAST_CONN: "LEAST_REQUEST", UNSPECIFIED: "LEAST_REQUEST" };
const lbName = (v: string): string => LB_ALIASES[v] ?? v;

export const destinationRuleLoadBalancer = defineCheck({
  name: "destinationrule.load-balancer",
  description:
    "The load-balancing algorithm (`loadBalancer.simple`) a client gets for the host, or for one subset/port (a subset's or port's own policy overrides the top level). LEAST_CONN counts as LEAST_REQUEST, and so does an unset algorithm (Istio's default).",
  params: ZPolicyTarget.extend({
    simple: z.enum(["ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "UNSPECIFIED"]),
  }).strict(),
  example: { host: "reviews", namespace: "shop", simple: "ROUND_ROBIN" },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withDestinationRule(p, snapshot, (dr) => {
      const problem = subsetProblem(dr, p.subset);
      if (problem) return fail(problem);
      const { policy, from } = effectivePolicy(dr, p.subset, p.port);
      const lb = rec(policy.loadBalancer);
      const where = from.loadBalancer ?? `${drLabel(dr)} trafficPolicy`;
      const evidence = dr.sources.map((s) => evidenceOf(s, "spec.trafficPolicy.loadBalancer", policy.loadBalancer));
      const isDefault = lbName(p.simple) === lbName("UNSPECIFIED");
      if (!isRec(policy.loadBalancer)) {
        if (isDefault) return pass(`${where}.loadBalancer is unset: Istio's default, LEAST_REQUEST`, evidence);
        return fail(
          `${where}.loadBalancer is unset (Istio's default is LEAST_REQUEST), expected simple: ${p.simple}`,
          evidence,
        );
      }
      if (isRec(lb.consistentHash))
        return fail(`${where}.loadBalancer uses consistentHash, expected simple: ${p.simple}`, evidence);
      if (lbName(str(lb.simple) ?? "UNSPECIFIED") !== lbName(p.simple)) {
        const written = lb.simple === undefined ? "unset (Istio's default is LEAST_REQUEST)" : show(lb.simple);
        return fail(`${where}.loadBalancer.simple is ${written}, expected ${p.simple}`, evidence);
      }
      return pass(`${where}.loadBalancer.simple is ${show(lb.simple ?? "LEAST_REQUEST (default)")}`, evidence);
    });
  },
});

const HASH_KEYS = ["httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName"] as const;

export const destinationRuleConsistentHash = defineCheck({
  name: "destinationrule.consistent-hash",
  description:
    "Sticky sessions: `loadBalancer.consistentHash` sets exactly one hash key (httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName), optionally with the given header/cookie/parameter name and cookie ttl.",
  params: ZPolicyTarget.extend({
    key: z.enum(HASH_KEYS),
    value: z
      .string()
      .min(1)
      .optional()
      .describe("header, cookie or query parameter name (header names are case-insensitive)"),
    ttl: ZDurationParam.optional().describe("httpCookie.ttl"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", key: "httpHeaderName", value: "x-user" },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withDestinationRule(p, snapshot, (dr) => {
      const problem = subsetProblem(dr, p.subset);
      if (problem) return fail(problem);
      const { policy, from } = effectivePolicy(dr, p.subset, p.port);
      const where = `${from.loadBalancer ?? `${drLabel(dr)} trafficPolicy`}.loadBalancer.consistentHash`;
      const hash = rec(policy.loadBalancer).consistentHash;
      const evidence = dr.sources.map((s) => evidenceOf(s, "spec.trafficPolicy.loadBalancer", policy.loadBalancer));
      if (!isRec(hash)) return fail(`${where} is unset, expected ${p.key}`, evidence);
      const set = HASH_KEYS.filter((k) => hash[k] !== undefined && hash[k] !== false);
      if (set.length !== 1)
        return fail(
          `${where} sets ${set.length === 0 ? "no hash key" : listText(set)}; it needs exactly one (${p.key})`,
          evidence,
        );
      if (set[0] !== p.key) return fail(`${where} hashes on ${set[0]}, expected ${p.key}`, evidence);
      const v = hash[p.key];
      if (p.value !== undefined) {
        const actual = p.key === "httpCookie" ? str(rec(v).name) : str(v);
        const same = p.key === "httpHeaderName" ? actual?.toLowerCase() === p.value.toLowerCase() : actual === p.value;
        if (!same)
          return fail(
            `${where}.${p.key}${p.key === "httpCookie" ? ".name" : ""} is ${show(actual)}, expected ${JSON.stringify(p.value)}`,
            evidence,
          );
      }
      if (p.ttl !== undefined && !isSameDuration(rec(v).ttl, p.ttl))
        return fail(`${where}.httpCookie.ttl is ${show(rec(v).ttl)}, expected ${p.ttl}`, evidence);
      return pass(`${where} hashes on ${p.key} ${show(v)}`, evidence);
    });
  },
});

/**
 * Compares expected fields with actual ones: numbers by value, durations by value, the rest as
 * written. `written` is the object before defaults were filled in; messages name a default as such.
 */
function compareFields(
  actual: Rec,
  expected: Record<string, unknown>,
  prefix: string,
  written: Rec = actual,
): string[] {
  const wrong: string[] = [];
  for (const [k, want] of Object.entries(expected)) {
    if (want === undefined) continue;
    const got = actual[k];
    const same =
      typeof want === "number"
        ? num(got) === want
        : typeof want === "string" && parseDuration(want) !== undefined
          ? isSameDuration(got, want)
          : got === want;
    const shown =
      written[k] === got ? show(got) : `${written[k] === undefined ? "unset" : show(written[k])} (default ${got})`;
    if (!same) wrong.push(`${prefix}.${k} is ${shown}, expected ${show(want)}`);
  }
  return wrong;
}

/**
 * What an omitted outlierDetection field means (pilot's applyOutlierDetection leaves Envoy's
 * defaults): 5 consecutive 5xx, a 10s sweep, 30s ejection, at most 10% ejected (0 is proto3's
 * unset, so also 10%); gateway errors are not enforced (0) and the panic threshold is 0%.
 */
const OUTLIER_DEFAULTS: Record<string, unknown> = {
  consecutive5xxErrors: 5,
  interval: "10s",
  baseEjectionTime: "30s",
  maxEjectionPercent: 10,
  minHealthPercent: 0,
  consecutiveGatewayErrors: 0,
};

function withOutlierDefaults(od: Rec): Rec {
  const out: Rec = { ...od };
  for (const [k, v] of Object.entries(OUTLIER_DEFAULTS)) if (out[k] === undefined) out[k] = v;
  if (num(out.maxEjectionPercent) === 0) out.maxEjectionPercent = OUTLIER_DEFAULTS.maxEjectionPercent;
  return out;
}

const ZCount = ZNumber.pipe(z.number().int().min(0));

export const destinationRuleConnectionPool = defineCheck({
  name: "destinationrule.connection-pool",
  description:
    "Circuit-breaker limits in `trafficPolicy.connectionPool` (tcp and http fields) for the host, a subset or a port.",
  params: ZPolicyTarget.extend({
    tcp: z
      .strictObject({
        maxConnections: ZCount.optional(),
        connectTimeout: ZDurationParam.optional(),
        maxConnectionDuration: ZDurationParam.optional(),
        idleTimeout: ZDurationParam.optional(),
      })
      .optional(),
    http: z
      .strictObject({
        http1MaxPendingRequests: ZCount.optional(),
        http2MaxRequests: ZCount.optional(),
        maxRequestsPerConnection: ZCount.optional(),
        maxRetries: ZCount.optional(),
        maxConcurrentStreams: ZCount.optional(),
        idleTimeout: ZDurationParam.optional(),
        h2UpgradePolicy: z.enum(["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"]).optional(),
      })
      .optional(),
  })
    .strict()
    .refine((p) => p.tcp !== undefined || p.http !== undefined, "expect tcp, http or both"),
  example: {
    host: "reviews",
    namespace: "shop",
    tcp: { maxConnections: 1 },
    http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
  },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withDestinationRule(p, snapshot, (dr) => {
      const problem = subsetProblem(dr, p.subset);
      if (problem) return fail(problem);
      const { policy, from } = effectivePolicy(dr, p.subset, p.port);
      const where = `${from.connectionPool ?? `${drLabel(dr)} trafficPolicy`}.connectionPool`;
      const pool = rec(policy.connectionPool);
      const evidence = dr.sources.map((s) => evidenceOf(s, "spec.trafficPolicy.connectionPool", policy.connectionPool));
      if (!isRec(policy.connectionPool)) return fail(`${where} is unset`, evidence);
      const wrong = [
        ...compareFields(rec(pool.tcp), p.tcp ?? {}, "tcp"),
        ...compareFields(rec(pool.http), p.http ?? {}, "http"),
      ];
      if (wrong.length > 0) return fail(`${where}: ${wrong.join("; ")}`, evidence);
      return pass(`${where} is ${show(pool)}`, evidence);
    });
  },
});

export const destinationRuleOutlierDetection = defineCheck({
  name: "destinationrule.outlier-detection",
  description:
    "Ejection of failing endpoints in `trafficPolicy.outlierDetection` for the host, a subset or a port; durations compare by value. An omitted field takes Istio's/Envoy's default (consecutive5xxErrors 5, interval 10s, baseEjectionTime 30s, maxEjectionPercent 10, minHealthPercent 0, consecutiveGatewayErrors 0 = off).",
  params: ZPolicyTarget.extend({
    consecutive5xxErrors: ZCount.optional(),
    consecutiveGatewayErrors: ZCount.optional(),
    consecutiveLocalOriginFailures: ZCount.optional(),
    interval: ZDurationParam.optional(),
    baseEjectionTime: ZDurationParam.optional(),
    maxEjectionPercent: ZCount.optional(),
    minHealthPercent: ZCount.optional(),
  }).strict(),
  example: {
    host: "reviews",
    namespace: "shop",
    consecutive5xxErrors: 1,
    interval: "1s",
    baseEjectionTime: "3m",
    maxEjectionPercent: 100,
  },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withDestinationRule(p, snapshot, (dr) => {
      const problem = subsetProblem(dr, p.subset);
      if (problem) return fail(problem);
      const { policy, from } = effectivePolicy(dr, p.subset, p.port);
      const where = `${from.outlierDetection ?? `${drLabel(dr)} trafficPolicy`}.outlierDetection`;
      const evidence = dr.sources.map((s) =>
        evidenceOf(s, "spec.trafficPolicy.outlierDetection", policy.outlierDetection),
      );
      if (!isRec(policy.outlierDetection)) return fail(`${where} is unset`, evidence);
      const expected = {
        consecutive5xxErrors: p.consecutive5xxErrors,
        consecutiveGatewayErrors: p.consecutiveGatewayErrors,
        consecutiveLocalOriginFailures: p.consecutiveLocalOriginFailures,
        interval: p.interval,
        baseEjectionTime: p.baseEjectionTime,
        maxEjectionPercent: p.maxEjectionPercent,
        minHealthPercent: p.minHealthPercent,
      };
      const wrong = compareFields(
        withOutlierDefaults(policy.outlierDetection),
        expected,
        "outlierDetection",
        policy.outlierDetection,
      ).map((w) => w.replace(/^outlierDetection\./, ""));
      if (wrong.length > 0) return fail(`${where}: ${wrong.join("; ")}`, evidence);
      return pass(`${where} is ${show(policy.outlierDetection)}`, evidence);
    });
  },
});

export const destinationRuleLocalityFailover = defineCheck({
  name: "destinationrule.locality-failover",
  description:
    "Locality failover: `loadBalancer.localityLbSetting` has failover (from → to) or failoverPriority and is not disabled, and outlierDetection is set (Istio fails over only with outlier detection).",
  params: ZPolicyTarget.extend({
    failover: z.array(z.strictObject({ from: z.string().min(1), to: z.string().min(1) })).optional(),
    failoverPriority: z.array(z.string().min(1)).optional().describe("labels in order"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", failover: [{ from: "us-east", to: "us-west" }] },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withDestinationRule(p, snapshot, (dr) => {
      const problem = subsetProblem(dr, p.subset);
      if (problem) return fail(problem);
      const { policy, from } = effectivePolicy(dr, p.subset, p.port);
      const where = `${from.loadBalancer ?? `${drLabel(dr)} trafficPolicy`}.loadBalancer.localityLbSetting`;
      const setting = rec(rec(policy.loadBalancer).localityLbSetting);
      const evidence = dr.sources.map((s) => evidenceOf(s, "spec.trafficPolicy", policy));
      const wrong: string[] = [];
      if (setting.enabled === false) wrong.push("enabled is false");
      const failover = arr(setting.failover).map(rec);
      const priority = arr(setting.failoverPriority).map(String);
      if (
        p.failover === undefined &&
        p.failoverPriority === undefined &&
        failover.length === 0 &&
        priority.length === 0
      )
        wrong.push("has neither failover nor failoverPriority");
      for (const f of p.failover ?? []) {
        if (!failover.some((x) => x.from === f.from && x.to === f.to))
          wrong.push(`failover lacks from ${f.from} to ${f.to} (has ${show(setting.failover)})`);
      }
      if (p.failoverPriority !== undefined && p.failoverPriority.join(",") !== priority.join(",")) {
        wrong.push(`failoverPriority is ${show(setting.failoverPriority)}, expected ${show(p.failoverPriority)}`);
      }
      if (!isRec(policy.outlierDetection)) wrong.push("outlierDetection is unset, so Istio never fails over");
      if (wrong.length > 0) return fail(`${where}: ${wrong.join("; ")}`, evidence);
      return pass(
        `${where} fails over ${show(setting.failover ?? setting.failoverPriority)} with outlierDetection set`,
        evidence,
      );
    });
  },
});

export const destinationRuleTls = defineCheck({
  name: "destinationrule.tls",
  description:
    "The client-side TLS a sidecar uses to the host (`trafficPolicy.tls`): mode, and optionally sni and credentialName.",
  params: ZPolicyTarget.extend({
    mode: z.enum(["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"]),
    sni: z.string().min(1).optional(),
    credentialName: z.string().min(1).optional(),
  }).strict(),
  example: { host: "httpbin.org", namespace: "shop", mode: "SIMPLE" },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withDestinationRule(p, snapshot, (dr) => {
      const problem = subsetProblem(dr, p.subset);
      if (problem) return fail(problem);
      const { policy, from } = effectivePolicy(dr, p.subset, p.port);
      const where = `${from.tls ?? `${drLabel(dr)} trafficPolicy`}.tls`;
      const tls = rec(policy.tls);
      const evidence = dr.sources.map((s) => evidenceOf(s, "spec.trafficPolicy.tls", policy.tls));
      const wrong = compareFields(tls, { mode: p.mode, sni: p.sni, credentialName: p.credentialName }, "tls").map((w) =>
        w.replace(/^tls\./, ""),
      );
      if (!isRec(policy.tls))
        return fail(
          `${where} is unset (sidecars use ISTIO_MUTUAL automatically when auto mTLS is on), expected mode ${p.mode}`,
          evidence,
        );
      if (wrong.length > 0) return fail(`${where}: ${wrong.join("; ")}`, evidence);
      return pass(`${where}.mode is ${p.mode}`, evidence);
    });
  },
});

function subsetProblem(dr: DestinationRuleView, subset: string | undefined): string | undefined {
  if (subset === undefined || dr.subsets.some((s) => s.name === subset)) return undefined;
  return `${drLabel(dr)} has no subset ${JSON.stringify(subset)} (it has ${listText(dr.subsets.map((s) => JSON.stringify(s.name))) || "none"})`;
}

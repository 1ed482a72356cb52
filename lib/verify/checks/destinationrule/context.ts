// What the DestinationRule checks share: the DestinationRule a client actually uses for a host
// (client namespace, then service namespace, then root namespace; same-namespace rules merged),
// and where each traffic-policy field that applies to a subset or port really comes from.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import {
  type DestinationRuleView,
  drHost,
  effectivePolicy,
  findDestinationRule,
} from "../../../istio/destination-rule";
import { isSameDuration, parseDuration } from "../../../istio/duration";
import { isPrivate } from "../../../istio/export-to";
import { arr, describeObject, isRec, num, type Rec, rec, show, specOf, str } from "../../../istio/fields";
import { DOMAIN_SUFFIX, explainHost, hostCovers } from "../../../istio/hosts";
import type { CheckOutcome, Evidence, Snapshot } from "../../types";
import {
  evidenceOf,
  fail,
  hostParam,
  listText,
  rootNamespace,
  ZHostParam,
  ZNamespace,
  ZNumber,
  ZPort,
} from "../common";

export const ZDrTarget = z.object({
  host: ZHostParam,
  namespace: ZNamespace.describe("namespace of the service (short hosts resolve here)"),
  fromNamespace: z.string().min(1).optional().describe("namespace of the calling client; default `namespace`"),
  meshWide: z
    .boolean()
    .optional()
    .describe(
      "the rule that applies must be mesh-wide: in the root namespace, with a host that covers every service (`*`, `*.local`, `*.svc.cluster.local`)",
    ),
});
type TDrTarget = z.infer<typeof ZDrTarget>;

export const ZPolicyTarget = ZDrTarget.extend({
  subset: z.string().min(1).optional().describe("grade the policy this subset gets (its own overrides the top level)"),
  port: ZPort.optional().describe(
    "grade the policy for this port (its portLevelSettings entry replaces loadBalancer, connectionPool, outlierDetection and tls)",
  ),
});
type TPolicyTarget = z.infer<typeof ZPolicyTarget>;

/** A whole number of at least 0, also written as text. */
export const ZCount = ZNumber.pipe(z.number().int().min(0));

export const drKinds = [K.destinationRule, K.configMap] as const;

/** ` (mesh-wide)` for a rule found in the root namespace and exported beyond it; otherwise nothing. */
function meshTag(dr: DestinationRuleView): string {
  return dr.scope === "root namespace" && !dr.sources.every(isPrivate) ? " (mesh-wide)" : "";
}

/** `DestinationRule ns/a+b`: every rule merged into the view. */
function plainLabel(dr: DestinationRuleView): string {
  return `DestinationRule ${dr.namespace}/${dr.sources.map((s) => s.metadata.name).join("+")}`;
}

/** `DestinationRule ns/a+b`, and ` (mesh-wide)` for a mesh-wide one. */
export function drLabel(dr: DestinationRuleView): string {
  return `${plainLabel(dr)}${meshTag(dr)}`;
}

/** Every host of the mesh's services: a mesh-wide rule's host covers it. */
const EVERY_SERVICE = `*.svc.${DOMAIN_SUFFIX}`;

/** Why the rule a client uses is not a mesh-wide one; undefined when it is. */
function notMeshWide(dr: DestinationRuleView, client: string, root: string): string | undefined {
  if (dr.scope !== "root namespace" || dr.namespace !== root)
    return `${drLabel(dr)} applies to clients in namespace ${client} from namespace ${dr.namespace}, not from the root namespace ${root}: it is not mesh-wide`;
  if (!hostCovers(dr.host, EVERY_SERVICE))
    return `${plainLabel(dr)} spec.host ${JSON.stringify(str(specOf(dr.sources[0]).host) ?? dr.host)} does not cover every service of the mesh (*.local or * would)`;
  return undefined;
}

/** Grades the DestinationRule a client uses for the host, or fails naming near misses. */
export function withDestinationRule(
  p: TDrTarget,
  snapshot: Snapshot,
  grade: (dr: DestinationRuleView) => CheckOutcome,
): CheckOutcome {
  const drs = snapshot.list(K.destinationRule);
  const host = hostParam(p.host, p.namespace);
  const client = p.fromNamespace ?? p.namespace;
  const root = rootNamespace(snapshot);
  const dr = findDestinationRule(drs, { host: host.resolved, clientNamespace: client, rootNamespace: root });
  if (dr) {
    const why = p.meshWide ? notMeshWide(dr, client, root) : undefined;
    if (why)
      return fail(
        why,
        dr.sources.map((s) => evidenceOf(s, "spec.host", specOf(s).host)),
      );
    return grade(dr);
  }
  const short = host.written.split(".")[0];
  const near = drs
    .filter((d) => (str(rec(d.spec).host) ?? "").split(".")[0] === short || hostCovers(drHost(d), host.resolved))
    .map((d) => {
      const written = str(rec(d.spec).host) ?? "";
      if (hostCovers(drHost(d), host.resolved))
        return `${describeObject(d)} spec.host ${JSON.stringify(written)} matches, but it is not visible to namespace ${client} (exportTo)`;
      return `${describeObject(d)} spec.host is ${JSON.stringify(written)}, ${explainHost(written, drHost(d))}`;
    });
  const head = `no DestinationRule for host ${host.text} applies to clients in namespace ${client}`;
  return fail(near.length > 0 ? `${head}: ${near.join("; ")}` : head);
}

/** "DestinationRule ns/a has no subset "v3" (it has "v1" and "v2")" */
export function noSubset(dr: DestinationRuleView, subset: string): string {
  return `${drLabel(dr)} has no subset ${JSON.stringify(subset)} (it has ${listText(dr.subsets.map((s) => JSON.stringify(s.name))) || "none"})`;
}

export type PolicyFieldName = "loadBalancer" | "connectionPool" | "outlierDetection" | "tls";

/** The value of one traffic-policy field a client gets, and where it is written. */
export interface PolicyField {
  /** the effective value; undefined when unset */
  value: unknown;
  /** the DestinationRule it is written in; undefined when no rule sets it */
  source?: KubeObject;
  /** its field path, e.g. `spec.subsets[1].trafficPolicy.loadBalancer` or `spec.trafficPolicy.portLevelSettings[0].tls` */
  path: string;
  /** the object and path for messages: `DestinationRule shop/reviews spec.subsets[1].trafficPolicy.loadBalancer` */
  where: string;
  evidence: Evidence[];
}

/**
 * One field of the traffic policy a client gets for the host (or a subset or port), with where
 * it really came from: effectivePolicy decides the value (a subset's policy overrides the top
 * level, a port's portLevelSettings entry replaces the field whole). An unset field is located
 * at the port entry that cleared it, else at the top-level trafficPolicy where it would go.
 */
export function policyField(dr: DestinationRuleView, field: PolicyFieldName, target: TPolicyTarget): PolicyField {
  const { policy, from } = effectivePolicy(dr, target.subset, target.port);
  const value = policy[field];
  const at = layerOf(dr, from[field]) ?? portEntryInForce(dr, target);
  if (!at) {
    const path = `spec.trafficPolicy.${field}`;
    return {
      value,
      path,
      where: `${drLabel(dr)} ${path}`,
      evidence: dr.sources.map((s) => evidenceOf(s, path, value)),
    };
  }
  const path = `${at.layer}.${field}`;
  return {
    value,
    source: at.source,
    path,
    where: `${describeObject(at.source)}${meshTag(dr)} ${path}`,
    evidence: [evidenceOf(at.source, path, value)],
  };
}

interface PolicyLayer {
  source: KubeObject;
  /** `spec.trafficPolicy`, `spec.subsets[1].trafficPolicy`, `spec.trafficPolicy.portLevelSettings[0]` */
  layer: string;
}

/** effectivePolicy names a layer `DestinationRule ns/name <path>`; the rule is one of those merged into the view. */
function layerOf(dr: DestinationRuleView, named: string | undefined): PolicyLayer | undefined {
  if (named === undefined) return undefined;
  const source = dr.sources.find((s) => named.startsWith(`${describeObject(s)} `));
  return source && { source, layer: named.slice(describeObject(source).length + 1) };
}

/** The portLevelSettings entry for the port that applies last (a subset's over the top level's). */
function portEntryInForce(dr: DestinationRuleView, target: TPolicyTarget): PolicyLayer | undefined {
  if (target.port === undefined) return undefined;
  const layers: (PolicyLayer & { policy?: Rec })[] = [];
  if (dr.trafficPolicySource)
    layers.push({ source: dr.trafficPolicySource, layer: "spec.trafficPolicy", policy: dr.trafficPolicy });
  const subset = target.subset === undefined ? undefined : dr.subsets.find((s) => s.name === target.subset);
  if (subset)
    layers.push({ source: subset.source, layer: `${subset.path}.trafficPolicy`, policy: subset.trafficPolicy });
  let found: PolicyLayer | undefined;
  for (const { source, layer, policy } of layers) {
    const i = arr(policy?.portLevelSettings).findLastIndex((s) => rec(rec(s).port).number === target.port);
    if (i >= 0) found = { source, layer: `${layer}.portLevelSettings[${i}]` };
  }
  return found;
}

/**
 * Grades one policy field of the DestinationRule a client uses, after checking that the subset
 * asked for exists. `dr` is passed on for checks that read a second field.
 */
export function withPolicyField(
  p: TPolicyTarget,
  snapshot: Snapshot,
  field: PolicyFieldName,
  grade: (f: PolicyField, dr: DestinationRuleView) => CheckOutcome,
): CheckOutcome {
  return withDestinationRule(p, snapshot, (dr) => {
    if (p.subset !== undefined && !dr.subsets.some((s) => s.name === p.subset)) return fail(noSubset(dr, p.subset));
    const outcome = grade(policyField(dr, field, p), dr);
    if (outcome.status !== "fail") return outcome;
    const shadowed = shadowedMeshField(p, snapshot, dr, field);
    if (!shadowed) return outcome;
    return {
      ...outcome,
      message: `${outcome.message}; it shadows the mesh-wide ${shadowed.label} (host ${JSON.stringify(shadowed.host)}), whose ${shadowed.field.path} it does not inherit: the DestinationRule for the host replaces the mesh-wide one whole`,
      evidence: [...(outcome.evidence ?? []), ...shadowed.field.evidence],
    };
  });
}

/**
 * The mesh-wide rule a namespace rule shadows, when it sets the field being graded: Istio uses
 * the first rule found (client, service, root namespace) and inherits nothing from the others.
 */
function shadowedMeshField(
  p: TPolicyTarget,
  snapshot: Snapshot,
  dr: DestinationRuleView,
  field: PolicyFieldName,
): { label: string; host: string; field: PolicyField } | undefined {
  if (dr.scope === "root namespace") return undefined;
  const root = rootNamespace(snapshot);
  const mesh = findDestinationRule(snapshot.list(K.destinationRule, root), {
    host: hostParam(p.host, p.namespace).resolved,
    clientNamespace: p.fromNamespace ?? p.namespace,
    rootNamespace: root,
  });
  if (mesh?.scope !== "root namespace") return undefined;
  const meshField = policyField(mesh, field, { ...p, subset: undefined });
  if (meshField.value === undefined) return undefined;
  return { label: plainLabel(mesh), host: str(specOf(mesh.sources[0]).host) ?? mesh.host, field: meshField };
}

/**
 * Compares expected fields with actual ones: numbers by value, durations by value, the rest as
 * written. `written` is the object before defaults were filled in; messages name a default as such.
 */
export function compareFields(
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
    if (!same) wrong.push(`${prefix}${k} is ${shown}, expected ${show(want)}`);
  }
  return wrong;
}

/** A policy field in words: `tcp.maxConnections 1, http.http1MaxPendingRequests 1` (no raw JSON). */
export function policyText(value: unknown, prefix = ""): string {
  if (!isRec(value)) return `${prefix}${prefix ? " " : ""}${typeof value === "string" ? value : show(value)}`;
  const parts = Object.entries(value).map(([k, v]) => policyText(v, prefix ? `${prefix}.${k}` : k));
  return parts.length > 0 ? parts.join(", ") : `${prefix || "{}"} (empty)`;
}

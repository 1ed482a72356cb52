// The effective proxy configuration of a workload, composed as istiod does (pilot/pkg/model
// proxy_config.go, 1.26) from the ProxyConfig API, the pod annotation proxy.istio.io/config and
// the mesh config's defaultConfig.
//
// Precedence, lowest first; each level overrides only the fields it sets (environment variables
// key by key, `image` as a whole):
//   1. mesh config defaultConfig
//   2. the oldest selector-less ProxyConfig of the root namespace (mesh-wide)
//   3. the oldest selector-less ProxyConfig of the workload's namespace (not for the root namespace)
//   4. the pod annotation proxy.istio.io/config
//   5. the oldest ProxyConfig of the workload's namespace whose selector.matchLabels the pod's
//      labels contain (in the root namespace that means pods of the root namespace only)
// A later selector-less ProxyConfig in a namespace that already has one is ignored, and so is one
// whose selector has no labels (it is neither namespace-wide nor selects anything).
import { parse } from "yaml";
import type { KubeObject } from "../cluster/types";
import { describeObject, isRec, type Rec, rec, sortOldestFirst, str } from "./fields";
import { formatLabels, matchesLabels } from "./labels";

export const PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config";

/** A field the ProxyConfig API sets: `concurrency`, `image.imageType` or `environmentVariables.NAME`. */
export type ProxyConfigField = { kind: "concurrency" } | { kind: "imageType" } | { kind: "env"; name: string };

export const PROXY_CONFIG_FIELD = /^(concurrency|image\.imageType|environmentVariables\.[A-Za-z_][A-Za-z0-9_]*)$/;

export function parseProxyConfigField(field: string): ProxyConfigField {
  if (field === "concurrency") return { kind: "concurrency" };
  if (field === "image.imageType") return { kind: "imageType" };
  return { kind: "env", name: field.slice("environmentVariables.".length) };
}

export interface ProxyConfigTarget {
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface EffectiveField {
  /** the effective value; undefined when nothing sets it */
  value: string | number | undefined;
  /** what decided it, e.g. "ProxyConfig shop/threads spec.concurrency (namespace-wide)" */
  decidedBy?: string;
  /** the object that decided it, when one did */
  source?: KubeObject;
  /** objects that look like they should count but do not, and why */
  notes: string[];
}

/** What one level sets. */
interface Level {
  values: { concurrency?: number; env: Record<string, string>; imageType?: string; hasImage: boolean };
  /** e.g. "ProxyConfig shop/threads", "the pod annotation proxy.istio.io/config" */
  name: string;
  /** the path prefix of the fields in that level: "spec", "defaultConfig" */
  prefix: string;
  scope: string;
  source?: KubeObject;
}

/**
 * Why the API server or istiod's validation refuses a ProxyConfig, if it does: the CRD schema
 * wants an integer concurrency and string environment variables; istiod refuses a negative
 * concurrency.
 */
export function proxyConfigProblem(pc: KubeObject): string | undefined {
  const spec = rec(pc.spec);
  const c = spec.concurrency;
  if (c !== undefined && c !== null) {
    if (typeof c !== "number" || !Number.isInteger(c))
      return `spec.concurrency is ${JSON.stringify(c)}, which the API server refuses (the schema wants an integer)`;
    if (c < 0) return `spec.concurrency is ${c}, which istiod's validation refuses (it must be 0 or more)`;
  }
  const env = spec.environmentVariables;
  if (env !== undefined && env !== null) {
    if (!isRec(env)) return "spec.environmentVariables is not a map, which the API server refuses";
    const bad = Object.entries(env).find(([, v]) => typeof v !== "string");
    if (bad)
      return `spec.environmentVariables.${bad[0]} is ${JSON.stringify(bad[1])}, which the API server refuses (values must be strings: quote them)`;
  }
  return undefined;
}

function valuesOf(config: Rec, envKey: "environmentVariables" | "proxyMetadata"): Level["values"] {
  const c = config.concurrency;
  const concurrency =
    typeof c === "number" && Number.isInteger(c)
      ? c
      : typeof c === "string" && /^-?\d+$/.test(c) // protojson reads a quoted int32 too (annotation, mesh config)
        ? Number(c)
        : undefined;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(config[envKey]))) if (typeof v === "string") env[k] = v;
  const image = config.image;
  return { concurrency, env, imageType: str(rec(image).imageType), hasImage: isRec(image) };
}

const selectorLabels = (pc: KubeObject): Record<string, string> | undefined => {
  const selector = rec(pc.spec).selector;
  if (selector === undefined || selector === null) return undefined;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(rec(selector).matchLabels))) labels[k] = String(v);
  return labels;
};

const setsField = (values: Level["values"], field: ProxyConfigField): boolean =>
  field.kind === "concurrency"
    ? values.concurrency !== undefined
    : field.kind === "imageType"
      ? values.hasImage
      : values.env[field.name] !== undefined;

export function fieldPath(field: ProxyConfigField, prefix: string): string {
  const key =
    field.kind === "concurrency"
      ? "concurrency"
      : field.kind === "imageType"
        ? "image.imageType"
        : `$ENV.${field.name}`;
  const envKey = prefix === "spec" ? "environmentVariables" : "proxyMetadata";
  const path = key.replace("$ENV", envKey);
  return prefix ? `${prefix}.${path}` : path;
}

/**
 * The effective value of one field for a workload. `target` undefined: a workload in a namespace
 * with no ProxyConfig of its own (the mesh-wide value).
 */
export function effectiveProxyConfigField(input: {
  field: ProxyConfigField;
  proxyConfigs: readonly KubeObject[];
  meshDefaultConfig: Rec;
  rootNamespace: string;
  target?: ProxyConfigTarget;
}): EffectiveField {
  const { field, rootNamespace, target } = input;
  const notes: string[] = [];
  const valid: KubeObject[] = [];
  for (const pc of sortOldestFirst(input.proxyConfigs)) {
    const problem = proxyConfigProblem(pc);
    if (problem === undefined) valid.push(pc);
    else if (mayConcern(pc, target, rootNamespace)) notes.push(`${describeObject(pc)} does not exist: ${problem}`);
  }
  const levels: Level[] = [
    {
      values: valuesOf(input.meshDefaultConfig, "proxyMetadata"),
      name: "the mesh config",
      prefix: "defaultConfig",
      scope: "mesh-wide default",
    },
  ];
  const namespaceLevel = (ns: string, scope: string): void => {
    const selectorLess = valid.filter((pc) => pc.metadata.namespace === ns && selectorLabels(pc) === undefined);
    if (selectorLess.length === 0) return;
    const [winner, ...ignored] = selectorLess;
    for (const pc of ignored)
      if (setsField(valuesOf(rec(pc.spec), "environmentVariables"), field))
        notes.push(
          `${describeObject(pc)} is ignored: ${ns} already has the older selector-less ${describeObject(winner)}, and only the oldest one counts`,
        );
    levels.push(proxyConfigLevel(winner, scope));
  };
  namespaceLevel(rootNamespace, "mesh-wide");
  if (target && target.namespace !== rootNamespace) namespaceLevel(target.namespace, "namespace-wide");
  if (target) {
    const annotation = target.annotations[PROXY_CONFIG_ANNOTATION];
    if (annotation !== undefined) {
      const parsed = parseAnnotation(annotation);
      if (parsed)
        levels.push({
          values: valuesOf(parsed, "proxyMetadata"),
          name: `the pod annotation ${PROXY_CONFIG_ANNOTATION}`,
          prefix: "",
          scope: "this workload",
        });
      else notes.push(`the pod annotation ${PROXY_CONFIG_ANNOTATION} is not a YAML mapping, so istiod ignores it`);
    }
    const selecting = valid.filter((pc) => {
      const labels = selectorLabels(pc);
      return (
        pc.metadata.namespace === target.namespace &&
        labels !== undefined &&
        Object.keys(labels).length > 0 &&
        matchesLabels(labels, target.labels)
      );
    });
    if (selecting.length > 0) {
      const [winner, ...ignored] = selecting;
      for (const pc of ignored)
        notes.push(`${describeObject(pc)} is ignored: the older ${describeObject(winner)} also selects this workload`);
      levels.push(proxyConfigLevel(winner, `selects ${formatLabels(selectorLabels(winner) ?? {})}`));
    }
  }
  notes.push(...misplacedNotes(valid, field, target, rootNamespace));
  const decider = [...levels].reverse().find((l) => setsField(l.values, field));
  if (!decider) return { value: undefined, notes };
  const value =
    field.kind === "concurrency"
      ? decider.values.concurrency
      : field.kind === "imageType"
        ? decider.values.imageType
        : decider.values.env[field.name];
  return {
    value,
    decidedBy: `${decider.name} ${fieldPath(field, decider.prefix)} (${decider.scope})`,
    source: decider.source,
    notes,
  };
}

function proxyConfigLevel(pc: KubeObject, scope: string): Level {
  return {
    values: valuesOf(rec(pc.spec), "environmentVariables"),
    name: describeObject(pc),
    prefix: "spec",
    scope,
    source: pc,
  };
}

function parseAnnotation(text: string): Rec | undefined {
  try {
    const v: unknown = parse(text, { logLevel: "error" });
    return isRec(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Could this object be meant for the target (its namespace, or the root namespace)? */
function mayConcern(pc: KubeObject, target: ProxyConfigTarget | undefined, rootNamespace: string): boolean {
  const ns = pc.metadata.namespace;
  return ns === rootNamespace || ns === target?.namespace;
}

/** ProxyConfigs that set the field but cannot apply to the target: root-namespace selectors, empty selectors. */
function misplacedNotes(
  valid: readonly KubeObject[],
  field: ProxyConfigField,
  target: ProxyConfigTarget | undefined,
  rootNamespace: string,
): string[] {
  const notes: string[] = [];
  for (const pc of valid) {
    if (!setsField(valuesOf(rec(pc.spec), "environmentVariables"), field)) continue;
    const labels = selectorLabels(pc);
    const ns = pc.metadata.namespace;
    if (labels !== undefined && Object.keys(labels).length === 0 && (ns === rootNamespace || ns === target?.namespace))
      notes.push(
        `${describeObject(pc)} has a selector with no labels: it is not namespace-wide and selects no workload`,
      );
    else if (ns === rootNamespace && labels !== undefined && target?.namespace !== rootNamespace)
      notes.push(
        `${describeObject(pc)} has a selector: in the root namespace that selects pods of ${rootNamespace} only, not the whole mesh`,
      );
    else if (target && ns !== target.namespace && ns !== rootNamespace)
      notes.push(`${describeObject(pc)} is in namespace ${ns}: it applies to workloads there only`);
  }
  return notes.slice(0, 3);
}

// What the checks of every kind share: outcomes, evidence, parameter schemas, host and
// namespace helpers, and the "first candidate that passes" grading.
import { z } from "zod";
import { K } from "../../cluster/kinds";
import type { KindRef, KubeObject } from "../../cluster/types";
import { isSameDuration, parseDuration } from "../../istio/duration";
import { deepEqual, isRec, rec, specOf, strMap } from "../../istio/fields";
import { describeHost, resolveHost } from "../../istio/hosts";
import { readMeshConfig } from "../../istio/mesh-config";
import type { CheckOutcome, Evidence, Snapshot } from "../types";

export function pass(message: string, evidence?: Evidence[]): CheckOutcome {
  return { status: "pass", message, evidence };
}

export function fail(message: string, evidence?: Evidence[]): CheckOutcome {
  return { status: "fail", message, evidence };
}

export function evidenceOf(o: KubeObject, field?: string, value?: unknown): Evidence {
  return { kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, field, value };
}

/** A number, also written as a numeric string (a scenario var may render as "50"). */
const numeric = (v: unknown): unknown =>
  typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v;

export const ZPercent = z.preprocess(numeric, z.number().min(0).max(100));
export const ZNumber = z.preprocess(numeric, z.number());
export const ZInt = z.preprocess(numeric, z.number().int());
export const ZPort = z.preprocess(numeric, z.number().int().min(1).max(65535));
export const ZNamespace = z.string().min(1).describe("namespace");
export const ZHostParam = z.string().min(1).describe("the host: a short name (resolved in `namespace`) or an FQDN");
export const ZDurationParam = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, "expected a duration like 5s, 0.5s or 500ms");
/** Labels; numbers and booleans are taken as their text (YAML `version: 1`). */
export const ZLabels = z.record(
  z.string(),
  z.preprocess((v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v), z.string()),
);

export function hostParam(host: string, namespace: string): { written: string; resolved: string; text: string } {
  const resolved = resolveHost(host, namespace);
  return { written: host, resolved, text: describeHost(host, resolved) };
}

export function rootNamespace(snapshot: Snapshot): string {
  const mesh = readMeshConfig(snapshot.list(K.configMap));
  return typeof mesh.config.rootNamespace === "string" ? mesh.config.rootNamespace : "istio-system";
}

/** The objects of a kind (in a namespace, when given), only the one named `name` when given. */
export function listNamed(
  snapshot: Snapshot,
  kind: KindRef,
  namespace: string | undefined,
  name: string | undefined,
): KubeObject[] {
  return snapshot.list(kind, namespace).filter((o) => name === undefined || o.metadata.name === name);
}

/** The objects of a kind in a namespace and in the root namespace (whose policies apply mesh-wide). */
export function inNamespaceAndRoot(snapshot: Snapshot, kind: KindRef, namespace: string): KubeObject[] {
  const root = rootNamespace(snapshot);
  return [...snapshot.list(kind, namespace), ...(root === namespace ? [] : snapshot.list(kind, root))];
}

/** `spec.selector.matchLabels` of a security policy; an empty one counts as none. */
export function selectorOf(o: KubeObject): Record<string, string> {
  return strMap(rec(specOf(o).selector).matchLabels);
}

/** Same value: deep equality, numbers and numeric text alike, durations by value. */
export function isSameValue(actual: unknown, expected: unknown): boolean {
  if (deepEqual(actual, expected)) return true;
  if (isRec(actual) || isRec(expected) || Array.isArray(actual) || Array.isArray(expected)) return false;
  if (actual === undefined || actual === null || expected === null) return false;
  if (typeof expected === "string" && typeof actual === "string" && parseDuration(expected) !== undefined)
    return isSameDuration(actual, expected);
  return String(actual) === String(expected);
}

/** `a`, `a and b`, `a, b and c` */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "no Gateway named gw in namespace ns" / "no Gateway in namespace ns". */
export function noneFound(kind: string, namespace: string | undefined, name?: string): string {
  const where = namespace ? ` in namespace ${namespace}` : "";
  return name ? `no ${kind} named ${name}${where}` : `no ${kind}${where}`;
}

/**
 * Grades candidates one by one: passes with the first that passes; otherwise fails with the
 * reasons of every candidate (or of the named one).
 */
export function firstPassing(
  objects: readonly KubeObject[],
  grade: (o: KubeObject) => CheckOutcome,
  nothing: string,
): CheckOutcome {
  if (objects.length === 0) return fail(nothing);
  const outcomes = objects.map((o) => grade(o));
  const ok = outcomes.find((o) => o.status === "pass");
  if (ok) return ok;
  if (outcomes.length === 1) return outcomes[0];
  return fail(
    outcomes.map((o) => o.message).join("; "),
    outcomes.flatMap((o) => o.evidence ?? []),
  );
}

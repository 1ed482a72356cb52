// Defensive reads of objects from a cluster or a learner's files: any field may be missing or
// of the wrong type, and nothing here throws.
import type { KubeObject } from "../cluster/types";

export type Rec = Record<string, unknown>;

export function isRec(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function rec(v: unknown): Rec {
  return isRec(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function strs(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === "string");
}

/** A number, also from a numeric string ("50", "50.0"). */
export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** true/false, also from "true"/"false". */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** String-to-string map (labels, selectors); non-string values are dropped. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v))) {
    if (typeof val === "string") out[k] = val;
    else if (typeof val === "number" || typeof val === "boolean") out[k] = String(val);
  }
  return out;
}

export function specOf(o: KubeObject): Rec {
  return rec(o.spec);
}

export function labelsOf(o: KubeObject): Record<string, string> {
  return strMap(o.metadata?.labels);
}

export function annotationsOf(o: KubeObject): Record<string, string> {
  return strMap(o.metadata?.annotations);
}

/** "VirtualService mirror-lab/helloworld" */
export function describeObject(o: Pick<KubeObject, "kind" | "metadata">): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ""}${o.metadata?.name}`;
}

/** Splits "spec.http[0].route" or "metadata.labels['app.kubernetes.io/name']" into keys. */
export function parsePath(path: string): (string | number)[] | undefined {
  const keys: (string | number)[] = [];
  const re = /\[(\d+)\]|\[['"]([^'"]*)['"]\]|\.?([^.[\]]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  re.lastIndex = 0;
  while (at < path.length) {
    m = re.exec(path);
    if (!m || m.index !== at) return undefined;
    if (m[1] !== undefined) keys.push(Number(m[1]));
    else keys.push(m[2] ?? m[3]);
    at = re.lastIndex;
  }
  return keys.length > 0 ? keys : undefined;
}

export function readPath(value: unknown, path: string | readonly (string | number)[]): unknown {
  const keys = typeof path === "string" ? parsePath(path) : path;
  if (!keys) return undefined;
  let cur: unknown = value;
  for (const k of keys) {
    if (typeof k === "number") cur = Array.isArray(cur) ? cur[k] : undefined;
    else cur = isRec(cur) ? cur[k] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Deep equality ignoring key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRec(a) && isRec(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Readable value for messages: strings quoted, objects as compact JSON, absent as "unset". */
export function show(v: unknown): string {
  if (v === undefined) return "unset";
  if (typeof v === "string") return JSON.stringify(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(v);
  }
}

/** Objects sorted oldest first: creationTimestamp, then name, then namespace (Istio's order). */
export function sortOldestFirst<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort(compareAge);
}

export function compareAge(a: KubeObject, b: KubeObject): number {
  const ta = Date.parse(str(a.metadata?.creationTimestamp) ?? "");
  const tb = Date.parse(str(b.metadata?.creationTimestamp) ?? "");
  const na = Number.isNaN(ta) ? Number.POSITIVE_INFINITY : ta;
  const nb = Number.isNaN(tb) ? Number.POSITIVE_INFINITY : tb;
  if (na !== nb) return na < nb ? -1 : 1;
  const byName = compareText(str(a.metadata?.name) ?? "", str(b.metadata?.name) ?? "");
  if (byName !== 0) return byName;
  return compareText(str(a.metadata?.namespace) ?? "", str(b.metadata?.namespace) ?? "");
}

/** Byte order, as Go compares strings (localeCompare would depend on the locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Which scenarios may be set up side by side in one cluster (the exam, the proof scheduler): none
// that share a namespace, a declared mesh object or an overlapping mesh config key, and no two
// install tasks (each starts the bare cluster over).
import { ALL_KINDS } from "../cluster/kinds";
import { MESH_ROOT_NAMESPACE } from "../cluster/mesh-config-keys";
import { groupOf } from "../cluster/types";
import type { Scenario, TMeshObject } from "./schema";

/** What decides a conflict: a loaded Scenario fits it. */
export type ScenarioFootprint = Pick<Scenario, "id" | "namespaces" | "mesh"> & Partial<Pick<Scenario, "requires">>;

/** The declared object's group: its apiVersion's, else the kind table's when only one group has the kind. */
function groupOfRef(ref: TMeshObject): string | undefined {
  if (ref.apiVersion !== undefined) return groupOf(ref.apiVersion);
  const groups = new Set(ALL_KINDS.filter((k) => k.kind === ref.kind).map((k) => k.group));
  return groups.size === 1 ? [...groups][0] : undefined;
}

/** Cluster-scoped when every kind of that name (in the declared group) is; Istio's kinds are namespaced. */
function isClusterScoped(ref: TMeshObject, group: string | undefined): boolean {
  const known = ALL_KINDS.filter((k) => k.kind === ref.kind && (group === undefined || k.group === group));
  return known.length > 0 && known.every((k) => !k.namespaced);
}

function namespaceOfRef(ref: TMeshObject): string | undefined {
  return isClusterScoped(ref, groupOfRef(ref)) ? undefined : (ref.namespace ?? MESH_ROOT_NAMESPACE);
}

/**
 * Same kind, name and namespace (after defaulting to the root namespace for namespaced kinds), and
 * the same group when either names an apiVersion (a kind without one takes the kind table's group,
 * or any group when the kind is in several).
 */
export function isSameMeshObject(a: TMeshObject, b: TMeshObject): boolean {
  if (a.kind !== b.kind || a.name !== b.name || namespaceOfRef(a) !== namespaceOfRef(b)) return false;
  if (a.apiVersion === undefined && b.apiVersion === undefined) return true;
  const [ga, gb] = [groupOfRef(a), groupOfRef(b)];
  return ga === undefined || gb === undefined || ga === gb;
}

/** Equal, or one a prefix of the other at a dot: `outboundTrafficPolicy` ~ `outboundTrafficPolicy.mode`. */
export function isOverlappingConfigKey(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function describeObject(ref: TMeshObject): string {
  const ns = namespaceOfRef(ref);
  const kind = ref.apiVersion ? `${ref.kind} (${ref.apiVersion})` : ref.kind;
  return `${kind} ${ns ? `${ns}/` : ""}${ref.name}`;
}

/**
 * Why `a` and `b` may not be set up side by side; empty when they may. Symmetric: the same
 * reasons, in the same order, whichever comes first.
 */
export function conflicts(a: ScenarioFootprint, b: ScenarioFootprint): string[] {
  const [x, y] = a.id <= b.id ? [a, b] : [b, a];
  const reasons: string[] = [];
  if (x.requires?.includes("bareCluster") && y.requires?.includes("bareCluster"))
    reasons.push("both start over from the one bare cluster");
  for (const ns of x.namespaces) {
    if (y.namespaces.includes(ns)) reasons.push(`both own namespace ${ns}`);
  }
  for (const ox of x.mesh.objects) {
    for (const oy of y.mesh.objects) {
      if (!isSameMeshObject(ox, oy)) continue;
      const [dx, dy] = [describeObject(ox), describeObject(oy)];
      reasons.push(
        dx === dy
          ? `both declare mesh object ${dx}`
          : `'${x.id}' declares ${dx}, '${y.id}' declares ${dy}: the same object`,
      );
    }
  }
  for (const kx of x.mesh.config) {
    for (const ky of y.mesh.config) {
      if (!isOverlappingConfigKey(kx, ky)) continue;
      reasons.push(
        kx === ky
          ? `both declare mesh config key ${kx}`
          : `mesh config keys overlap: '${x.id}' declares ${kx}, '${y.id}' declares ${ky}`,
      );
    }
  }
  return reasons;
}

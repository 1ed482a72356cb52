// One read of a cluster for a whole Check: one list per kind, all namespaces, in parallel.
import type { Cluster, ClusterFailure, KindRef, KubeObject } from "./types";
import { kindKey } from "./types";

/** Everything a check may read: lists fetched once per kind for a whole Check. */
export interface Snapshot {
  /** Objects of a kind (matched by group + kind), optionally in one namespace. */
  list(kind: KindRef, namespace?: string): KubeObject[];
  get(kind: KindRef, name: string, namespace?: string): KubeObject | undefined;
  /** Why a kind could not be read, if it could not. */
  failure(kind: KindRef): ClusterFailure | undefined;
}

interface KindEntry {
  objects: KubeObject[];
  failure?: ClusterFailure;
}

/**
 * Lists every kind once. A kind whose list fails is empty in the snapshot and its failure is
 * kept: "not-found" (the CRD is not installed) reads as "no objects"; the engine turns the
 * other reasons into errors for the checks that need the kind.
 */
export async function buildSnapshot(cluster: Cluster, kinds: readonly KindRef[]): Promise<Snapshot> {
  const unique = new Map<string, KindRef>();
  for (const k of kinds) unique.set(kindKey(k), k);
  const entries = await Promise.all(
    [...unique].map(async ([key, kind]): Promise<[string, KindEntry]> => {
      try {
        const result = await cluster.list(kind);
        return [key, result.ok ? { objects: result.value } : { objects: [], failure: result.failure }];
      } catch (e) {
        return [key, { objects: [], failure: { reason: "unreachable", message: (e as Error).message } }];
      }
    }),
  );
  return snapshotOf(new Map(entries));
}

function snapshotOf(byKind: ReadonlyMap<string, KindEntry>): Snapshot {
  const listOf = (kind: KindRef, namespace?: string): KubeObject[] => {
    const objects = byKind.get(kindKey(kind))?.objects ?? [];
    return namespace === undefined ? objects : objects.filter((o) => o.metadata.namespace === namespace);
  };
  return {
    list: listOf,
    get: (kind, name, namespace) =>
      listOf(kind, kind.namespaced ? namespace : undefined).find((o) => o.metadata.name === name),
    failure: (kind) => byKind.get(kindKey(kind))?.failure,
  };
}

import { describe, expect, it } from "vitest";
import { K } from "./kinds";
import { buildSnapshot } from "./snapshot";
import type { Cluster, ClusterResult, KindRef, KubeObject } from "./types";

function fakeCluster(results: Record<string, ClusterResult<KubeObject[]> | Error>): Cluster & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: "fake",
    capabilities: { dataPlane: false },
    calls,
    async list(kind: KindRef) {
      calls.push(kind.kind);
      const r = results[kind.kind] ?? { ok: true, value: [] };
      if (r instanceof Error) throw r;
      return r;
    },
    async get() {
      return { ok: false, failure: { reason: "not-found", message: "no" } };
    },
  };
}

const vs = (name: string, namespace: string): KubeObject => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name, namespace },
});

describe("snapshot", () => {
  it("lists each kind once, whatever the number of requests", async () => {
    const cluster = fakeCluster({ VirtualService: { ok: true, value: [vs("a", "x"), vs("b", "y")] } });
    const snap = await buildSnapshot(cluster, [K.virtualService, K.virtualService, K.service]);
    expect(cluster.calls.sort()).toEqual(["Service", "VirtualService"]);
    expect(snap.list(K.virtualService).map((o) => o.metadata.name)).toEqual(["a", "b"]);
    expect(snap.list(K.virtualService, "y").map((o) => o.metadata.name)).toEqual(["b"]);
    expect(snap.get(K.virtualService, "a", "x")?.metadata.name).toBe("a");
    expect(snap.get(K.virtualService, "a", "y")).toBeUndefined();
  });
  it("keeps failures per kind and reads a missing CRD as an empty list", async () => {
    const cluster = fakeCluster({
      VirtualService: { ok: false, failure: { reason: "not-found", message: "no CRD" } },
      Service: { ok: false, failure: { reason: "forbidden", message: "nope" } },
      Pod: new Error("socket hang up"),
    });
    const snap = await buildSnapshot(cluster, [K.virtualService, K.service, K.pod]);
    expect(snap.list(K.virtualService)).toEqual([]);
    expect(snap.failure(K.virtualService)?.reason).toBe("not-found");
    expect(snap.failure(K.service)?.reason).toBe("forbidden");
    expect(snap.failure(K.pod)).toEqual({ reason: "unreachable", message: "socket hang up" });
    expect(snap.failure(K.gateway)).toBeUndefined();
  });
});

// Which cluster the player uses when the kind driver made one: its kubeconfig, with a data plane.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveActiveCluster } from "./active-cluster";

function cacheWith(...files: string[]): string {
  const cache = mkdtempSync(path.join(tmpdir(), "ica-active-"));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(cache, file)), { recursive: true });
    writeFileSync(path.join(cache, file), "apiVersion: v1\nkind: Config\n");
  }
  return cache;
}

describe("resolveActiveCluster with the kind driver", () => {
  it("takes the kind cluster when only its kubeconfig exists", () => {
    const cache = cacheWith("kind/kubeconfig", "kind/bin/istioctl");
    expect(resolveActiveCluster({ ICA_CACHE_DIR: cache, KUBECONFIG: "/nowhere" })).toEqual({
      driver: "current",
      name: "kind",
      kubeconfig: path.join(cache, "kind/kubeconfig"),
      context: "kind-ica-practice",
      graderKubeconfig: path.join(cache, "kind/kubeconfig"),
      binDir: path.join(cache, "kind/bin"),
      capabilities: { dataPlane: true },
    });
  });

  it("keeps lite first when both exist, and ICA_CLUSTER=kind picks kind", () => {
    const cache = cacheWith("kind/kubeconfig", "lite/kubeconfig");
    expect(resolveActiveCluster({ ICA_CACHE_DIR: cache }).driver).toBe("lite");
    expect(resolveActiveCluster({ ICA_CACHE_DIR: cache, ICA_CLUSTER: "kind" }).name).toBe("kind");
  });

  it("ICA_CLUSTER=kind without a kind cluster is none", () => {
    const cache = cacheWith();
    expect(resolveActiveCluster({ ICA_CACHE_DIR: cache, ICA_CLUSTER: "kind" }).driver).toBe("none");
  });
});

// Which cluster the player uses when the kind driver made one: its kubeconfig, with a data plane
// and the prober (traffic checks run), and the read-only credential Check reads with.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { connectGrader, resolveActiveCluster } from "./active-cluster";

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
      driver: "kind",
      name: "kind",
      kubeconfig: path.join(cache, "kind/kubeconfig"),
      context: "kind-ica-practice",
      graderKubeconfig: path.join(cache, "kind/grader-kubeconfig"),
      binDir: path.join(cache, "kind/bin"),
      capabilities: { dataPlane: true, prober: true },
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

  it("Check reads with the read-only kubeconfig; without it, says how to make one", () => {
    const cache = cacheWith("kind/kubeconfig");
    const active = resolveActiveCluster({ ICA_CACHE_DIR: cache, ICA_CLUSTER: "kind" });
    expect(connectGrader(active)).toEqual({
      ok: false,
      failure: {
        reason: "unreachable",
        message:
          "The kind cluster has no read-only credential for Check. Make it with: npm run cluster -- up --driver kind (it repairs a running cluster), then press Check again.",
      },
    });
  });

  it("Check's cluster on kind has a prober: traffic checks run instead of being skipped", () => {
    const cache = cacheWith("kind/kubeconfig");
    writeFileSync(
      path.join(cache, "kind/grader-kubeconfig"),
      `apiVersion: v1
kind: Config
clusters: [{ name: kind-ica-practice, cluster: { server: "https://127.0.0.1:41234" } }]
users: [{ name: ica-grader, user: { token: t } }]
contexts: [{ name: kind-ica-practice, context: { cluster: kind-ica-practice, user: ica-grader } }]
current-context: kind-ica-practice
`,
    );
    const grader = connectGrader(resolveActiveCluster({ ICA_CACHE_DIR: cache, ICA_CLUSTER: "kind" }));
    if (!grader.ok) throw new Error(grader.failure.message);
    expect(grader.value.capabilities).toEqual({ dataPlane: true, prober: true });
    expect(grader.value.prober).toBeDefined();
  });
});

// The check engine against the real lite API server: objects of older API versions, what only a
// live cluster has (mesh config, status, pods), and a cluster that cannot be read gives `error`
// (never `fail`) with a clear message, quickly.
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { createKubeCluster } from "../../lib/cluster/kube-client";
import { applyManifests, setUpScenario } from "../../lib/cluster/scenario-objects";
import type { Cluster } from "../../lib/cluster/types";
import { liteGraderKubeconfigPath } from "../../lib/paths";
import { checkRequestsOf } from "../../lib/scenarios/grade-scenario";
import { loadScenario } from "../../lib/scenarios/load-scenario";
import type { Scenario } from "../../lib/scenarios/schema";
import { type CheckRequest, runChecks } from "../../lib/verify/engine";
import { kubeconfigPath, kubectl, kubectlOk } from "./lite";

let scenario: Scenario;

/**
 * A live proof that ran just before (scenario-proofs-live, `scenarios:prove --live`) deletes
 * traffic-mirroring's namespace without waiting; a namespace still terminating refuses new objects.
 */
async function waitUntilNotTerminating(namespaces: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const ns of namespaces) {
    for (;;) {
      const got = await kubectl(["get", "namespace", ns, "-o", "jsonpath={.metadata.deletionTimestamp}"]);
      if (got.code !== 0 || got.stdout.trim() === "") break; // gone, or not being deleted
      if (Date.now() > deadline) throw new Error(`namespace ${ns} is still terminating`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
let requests: CheckRequest[];

/** What Check reads with: the lite cluster's read-only grader credential. */
function liveCluster(file = liteGraderKubeconfigPath()): Cluster {
  const made = createKubeCluster({ kubeconfigPath: file });
  if (!made.ok) throw new Error(made.failure.message);
  return made.value;
}

// traffic-mirroring, set up and solved (its full proof is in scenario-proofs-live.test.ts)
beforeAll(async () => {
  const loaded = loadScenario("traffic-mirroring");
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  scenario = loaded.scenario;
  // its traffic checks are skipped on lite (no data plane): traffic-skip-live.test.ts
  requests = checkRequestsOf(scenario).filter((r) => !r.use?.startsWith("traffic."));
  const admin = resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" });
  await waitUntilNotTerminating(scenario.namespaces);
  await setUpScenario(admin, scenario, () => {});
  for (const task of scenario.tasks) {
    const applied = await applyManifests(admin, { path: task.solution });
    if (!applied.ok) throw new Error(applied.message);
  }
});

afterAll(async () => {
  // Wait until they are gone: the next file (scenario-proofs-live) sets traffic-mirroring up
  // again, and a namespace still terminating refuses new objects.
  if (scenario)
    await kubectl([
      "delete",
      "namespace",
      ...scenario.namespaces,
      "--ignore-not-found",
      "--wait=true",
      "--timeout=120s",
    ]);
});

describe("checks on the lite cluster", () => {
  it("read Istio objects written as v1beta1 like v1 ones", async () => {
    const vs = readFileSync(path.join(scenario.dir, "solution/virtualservice.yaml"), "utf8").replace(
      "networking.istio.io/v1\n",
      "networking.istio.io/v1beta1\n",
    );
    await kubectlOk(["apply", "-f", "-"], vs);
    const results = await runChecks(liveCluster(), requests);
    expect(results.map((r) => `${r.id}: ${r.status}`)).toEqual(results.map((r) => `${r.id}: pass`));
  });
});

describe("checks that read what only a live cluster has", () => {
  it("read the installed mesh config with defaults, Deployment status and real pods", async () => {
    const results = await runChecks(liveCluster(), [
      { id: "merge", use: "mesh.field", with: { path: "enablePrometheusMerge", equals: true } },
      { id: "root", use: "mesh.field", with: { path: "rootNamespace", equals: "istio-system" } },
      { id: "istiod", use: "deployment.ready", with: { namespace: "istio-system", name: "istiod" } },
      // the lite cluster runs no injection webhook, so sample pods have no proxy
      {
        id: "pods",
        use: "pods.injected",
        with: { namespace: "samples", selector: { app: "helloworld" }, injected: false },
      },
    ]);
    expect(results.map((r) => `${r.id}: ${r.status}: ${r.message}`)).toEqual(
      results.map((r) => `${r.id}: pass: ${r.message}`),
    );
  });
});

describe("a cluster that cannot be read", () => {
  it("gives errors, not fails, within 5 seconds when the API server is down", async () => {
    const port = await closedPort();
    const config = parse(readFileSync(kubeconfigPath(), "utf8")) as { clusters: { cluster: { server: string } }[] };
    for (const c of config.clusters) c.cluster.server = c.cluster.server.replace(/:\/\/[^/]+/, `://127.0.0.1:${port}`);
    const file = path.join(tmpdir(), `checks-live-down-${process.pid}.yaml`);
    writeFileSync(file, stringify(config));
    const started = Date.now();
    const results = await runChecks(liveCluster(file), requests);
    expect(Date.now() - started).toBeLessThan(5000);
    for (const r of results) {
      expect(r.status, r.message).toBe("error");
      expect(r.message).toMatch(
        /cannot read .*unreachable: cannot reach API server https?:\/\/127\.0\.0\.1:\d+: connection refused/,
      );
      expect(r.hint).toBeUndefined();
    }
  });

  it("gives errors, not fails, when the credentials may not read the kinds", async () => {
    const ns = scenario.namespaces[0];
    await kubectlOk(["create", "serviceaccount", "no-rights", "-n", ns]);
    const canList = await kubectl([
      "auth",
      "can-i",
      "list",
      "virtualservices.networking.istio.io",
      "-A",
      `--as=system:serviceaccount:${ns}:no-rights`,
    ]);
    if (canList.stdout.trim() === "yes") return; // the API server authorizes everything: nothing to prove here
    const token = (await kubectlOk(["create", "token", "no-rights", "-n", ns])).trim();
    const config = parse(readFileSync(kubeconfigPath(), "utf8")) as { users: { user: Record<string, unknown> }[] };
    for (const u of config.users) u.user = { token };
    const file = path.join(tmpdir(), `checks-live-forbidden-${process.pid}.yaml`);
    writeFileSync(file, stringify(config));
    const results = await runChecks(liveCluster(file), requests);
    for (const r of results) {
      expect(r.status, r.message).toBe("error");
      expect(r.message).toMatch(/forbidden/);
    }
  });
});

/** A local port with nothing listening on it. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// A reloaded player page shows each task's panel as the Check that made it did: the view
// getScenarioView builds from the stored run equals the one checkTask returned.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadFileCluster } from "../cluster/file-cluster";
import type { Cluster, ClusterResult } from "../cluster/types";
import { loadScenario } from "../scenarios/load-scenario";
import { proofStages, stageManifests } from "../scenarios/prove-scenario";
import type { Scenario } from "../scenarios/schema";
import { checkTask } from "./check-task";
import { getScenarioView } from "./scenario-view";

// The cluster Check reads: manifests of one proof stage instead of a live API server.
const grader = vi.hoisted(() => ({ cluster: undefined as ClusterResult<Cluster> | undefined }));
vi.mock("../cluster/active-cluster", () => ({
  resolveActiveCluster: () => ({
    driver: "current",
    name: "test-context",
    kubeconfig: "/nonexistent/kubeconfig",
    graderKubeconfig: "/nonexistent/kubeconfig",
    capabilities: { dataPlane: false },
  }),
  connectGrader: () => grader.cluster,
}));
vi.mock("../cluster/kube-client", () => ({ createKubeCluster: () => grader.cluster }));
vi.mock("../cluster/scenario-objects", () => ({ missingNamespaces: async () => [] }));

const SCENARIO = "traffic-mirroring";
const store = globalThis as unknown as { icaDb?: { $disconnect(): Promise<void> } };
let dir = "";
let scenario: Scenario;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ica-check-view-"));
  vi.stubEnv("DATABASE_URL", `file:${path.join(dir, "progress.db")}`);
  store.icaDb = undefined;
  const loaded = loadScenario(SCENARIO);
  if (!loaded.ok) throw new Error(`${SCENARIO} does not load: ${JSON.stringify(loaded.errors)}`);
  scenario = loaded.scenario;
});
afterAll(async () => {
  await store.icaDb?.$disconnect();
  store.icaDb = undefined;
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

function gradeAt(stage: "setup" | "solution" | `mistakes/${string}`): void {
  const found = proofStages(scenario).find((s) =>
    s.kind === "mistake" ? s.mistake.path.endsWith(stage) : s.kind === stage,
  );
  if (!found) throw new Error(`no stage ${stage}`);
  const { cluster, errors } = loadFileCluster(stageManifests(scenario, found));
  expect(errors).toEqual([]);
  grader.cluster = { ok: true, value: cluster };
}

async function reloadedPanel(taskId: string) {
  const view = await getScenarioView(SCENARIO);
  if (!view?.ok) throw new Error("the scenario view did not load");
  return view.checks[taskId];
}

/** What the browser receives: both views travel as JSON. */
const asSent = (v: unknown) => JSON.parse(JSON.stringify(v));

describe("a reloaded task panel equals the Check that made it", () => {
  it("failed checks keep their hints and evidence", async () => {
    gradeAt("mistakes/split-instead-of-mirror.yaml");
    const fresh = await checkTask(SCENARIO, "mirror");
    expect(fresh.state).toBe("failed");
    // not vacuous: the fresh Check has hints and evidence to lose
    // (its traffic checks are skipped from files: no data plane)
    expect(fresh.results.map((r) => r.status)).toEqual(["fail", "fail", "skipped", "skipped"]);
    const judged = fresh.results.filter((r) => r.status === "fail");
    expect(judged.every((r) => r.hint && r.evidence.length > 0)).toBe(true);

    const reloaded = await reloadedPanel("mirror");
    expect(reloaded).toEqual(fresh);
    expect(asSent(reloaded)).toStrictEqual(asSent(fresh));
  });

  it("the latest Check of a task wins; a pass has no hint", async () => {
    gradeAt("setup");
    const failed = await checkTask(SCENARIO, "subsets");
    expect(failed.results[0]).toMatchObject({ status: "fail", hint: expect.any(String) });
    expect(asSent(await reloadedPanel("subsets"))).toStrictEqual(asSent(failed));

    await new Promise((r) => setTimeout(r, 5));
    gradeAt("solution");
    const passed = await checkTask(SCENARIO, "subsets");
    expect(passed.state).toBe("passed");
    expect(passed.results[0].hint).toBeUndefined();
    const reloaded = await reloadedPanel("subsets");
    expect(reloaded).toEqual(passed);
    expect(asSent(reloaded)).toStrictEqual(asSent(passed));
  });

  it("a cluster that cannot be read reloads as errors, not failures", async () => {
    grader.cluster = { ok: false, failure: { reason: "unreachable", message: "connect ECONNREFUSED 127.0.0.1:6443" } };
    await new Promise((r) => setTimeout(r, 5));
    const fresh = await checkTask(SCENARIO, "mirror");
    expect(fresh.state).toBe("error");
    expect(asSent(await reloadedPanel("mirror"))).toStrictEqual(asSent(fresh));
  });
});

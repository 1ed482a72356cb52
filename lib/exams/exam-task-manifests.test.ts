import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFileCluster } from "../cluster/file-cluster";
import { AppError } from "../errors";
import { gradeScenario } from "../scenarios/grade-scenario";
import { loadCatalog } from "../scenarios/load-catalog";
import { loadScenario } from "../scenarios/load-scenario";
import type { Scenario } from "../scenarios/schema";
import { examScenarioManifests, examTaskManifests } from "./exam-task-manifests";
import { listExamFiles, loadExam } from "./load-exam";

function scenario(id: string): Scenario {
  const r = loadScenario(id);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

const rel = (s: Scenario, sources: { path: string }[]) => sources.map((m) => path.relative(s.dir, m.path));

describe("examTaskManifests", () => {
  const pxc = scenario("proxyconfig-mesh-wide");

  it("sets a task up with its scenario's setup and the solutions of the tasks before it", () => {
    expect(pxc.tasks.map((t) => t.id)).toEqual(["mesh", "batch", "cart"]);
    const setup = rel(pxc, pxc.setup);
    expect(rel(pxc, examTaskManifests(pxc, "mesh"))).toEqual(setup);
    expect(rel(pxc, examTaskManifests(pxc, "cart"))).toEqual([
      ...setup,
      path.relative(pxc.dir, pxc.tasks[0].solution),
      path.relative(pxc.dir, pxc.tasks[1].solution),
    ]);
  });

  it("sets a scenario up once for the tasks an exam asks, without their solutions", () => {
    const setup = rel(pxc, pxc.setup);
    const [mesh, batch] = pxc.tasks.map((t) => path.relative(pxc.dir, t.solution));
    expect(rel(pxc, examScenarioManifests(pxc, ["mesh", "cart"]))).toEqual([...setup, batch]);
    expect(rel(pxc, examScenarioManifests(pxc, ["batch"]))).toEqual([...setup, mesh]);
    expect(rel(pxc, examScenarioManifests(pxc, ["mesh", "batch"]))).toEqual(setup);
  });

  it("refuses a task the scenario does not have", () => {
    expect(() => examTaskManifests(pxc, "nope")).toThrow(AppError);
    expect(() => examScenarioManifests(pxc, ["mesh", "nope"])).toThrow(AppError);
  });
});

// From files, each fixed exam set up side by side in one cluster: before the learner acts, no
// asked check passes (unless the scenario says it passes after setup); with the asked tasks'
// solutions, every asked check passes. The live version is the exam's own integration test.
describe.each(listExamFiles().map((f) => [path.basename(f), f] as const))("%s from files", (_name, file) => {
  const loaded = loadExam(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const catalog = new Map(loadCatalog().flatMap((r) => (r.ok ? [[r.scenario.id, r.scenario] as const] : [])));
  const asked = new Map<string, string[]>();
  for (const t of loaded.exam.tasks) asked.set(t.scenario, [...(asked.get(t.scenario) ?? []), t.task]);
  const parts = [...asked].map(([id, taskIds]) => ({ scenario: catalog.get(id) as Scenario, taskIds }));
  const setUp = parts.flatMap((p) => examScenarioManifests(p.scenario, p.taskIds));
  const answers = parts.flatMap((p) =>
    p.scenario.tasks.filter((t) => p.taskIds.includes(t.id)).map((t) => ({ path: t.solution })),
  );

  async function grade(sources: typeof setUp) {
    const { cluster, errors } = loadFileCluster(sources);
    expect(errors).toEqual([]);
    const results = await Promise.all(parts.map((p) => gradeScenario(cluster, p.scenario, p.taskIds)));
    const checks = parts
      .flatMap((p) => p.scenario.tasks.filter((t) => p.taskIds.includes(t.id)))
      .flatMap((t) => t.checks);
    expect(results.flat()).toHaveLength(checks.length);
    return results.flatMap((rs, i) => rs.map((r) => ({ ...r, id: `${parts[i].scenario.id}/${r.id}` })));
  }

  it("has no asked check passing after setup", async () => {
    const preSatisfied = new Set(
      parts.flatMap((p) => p.scenario.tasks.flatMap((t) => t.preSatisfied.map((c) => `${p.scenario.id}/${t.id}/${c}`))),
    );
    const passing = (await grade(setUp)).filter((r) => r.status === "pass" && !preSatisfied.has(r.id));
    expect(passing.map((r) => r.id)).toEqual([]);
  });

  it("passes every asked check with the asked tasks' solutions", async () => {
    const failing = (await grade([...setUp, ...answers])).filter((r) => r.status !== "pass" && r.status !== "skipped");
    expect(failing.map((r) => `${r.id}: ${r.status} ${r.message}`)).toEqual([]);
  });
});

// Each fixed exam, and one random draw, set up side by side on the lite cluster as the exam page
// does: after the setup no task is answered (every check fails, but those that pass before the
// learner acts), and after every asked task's solution, applied in the exam's order, every check
// of every task passes.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { clusterForScenario, createBareDriver } from "../../lib/cluster/bare-cluster";
import { restoreMeshScope } from "../../lib/cluster/mesh-scope";
import { applyManifests, waitForRollouts } from "../../lib/cluster/scenario-objects";
import { tasksAnsweredAtSetup } from "../../lib/exams/answered-at-setup";
import { drawExam } from "../../lib/exams/draw-exam";
import { type ExamGrading, gradeExam } from "../../lib/exams/grade-exam";
import { loadExam } from "../../lib/exams/load-exam";
import { setUpExam } from "../../lib/exams/set-up-exam";
import { loadCatalog } from "../../lib/scenarios/load-catalog";
import { loadScenario } from "../../lib/scenarios/load-scenario";
import type { Scenario, TExamFile } from "../../lib/scenarios/schema";
import { kubectl } from "./lite";

const admin = () => resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" });

function scenarioOf(id: string): Scenario {
  const r = loadScenario(id);
  if (!r.ok) throw new Error(`${id} does not load`);
  return r.scenario;
}

const catalog = loadCatalog().flatMap((r) => (r.ok ? [r.scenario] : []));

/** Seed 57 draws egress-tls-origination's keep-https, which the task before it answers: both come. */
const RANDOM_SEED = 57;

const exams: [string, () => Promise<TExamFile>][] = [
  ...readdirSync(path.join(process.cwd(), "exams"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort()
    .map((id): [string, () => Promise<TExamFile>] => [
      id,
      async () => {
        const loaded = loadExam(id);
        if (!loaded.ok) throw new Error(`${id} does not load: ${loaded.errors.map((e) => e.message).join("; ")}`);
        return loaded.exam;
      },
    ]),
  [`random-${RANDOM_SEED}`, async () => drawExam(catalog, RANDOM_SEED, await tasksAnsweredAtSetup(catalog))],
  // an install task goes to the bare cluster (context ica-lite-bare), the rest to the practice cluster
  [
    "with-an-install-task",
    async () => ({
      id: "with-an-install-task",
      title: "An install task beside practice tasks",
      minutes: 120,
      passPercent: 68,
      tasks: [
        { scenario: "install-customize", task: "install" },
        { scenario: "install-customize", task: "mesh-config" },
        { scenario: "traffic-shift", task: exam0Task("traffic-shift") },
      ],
    }),
  ],
];

function exam0Task(scenarioId: string): string {
  return scenarioOf(scenarioId).tasks[0].id;
}

/** `<scenario>/<task>/<check>: <status> <message>` of every check whose status is not the wanted one. */
function offending(grading: ExamGrading, isWanted: (c: ExamGrading["tasks"][number]["checks"][number]) => boolean) {
  return grading.tasks.flatMap((t) =>
    t.checks.filter((c) => !isWanted(c)).map((c) => `${t.scenario}/${t.task}/${c.check}: ${c.status} ${c.message}`),
  );
}

/** The scenarios the exams set up, for the clean-up. */
const setUp = new Set<string>();

afterAll(async () => {
  // leave the cluster as the next test file expects it: the exam's namespaces gone, mesh scopes at the baseline
  const scenarios = [...setUp].map(scenarioOf);
  if (scenarios.length === 0) return;
  await kubectl([
    "delete",
    "namespace",
    ...scenarios.flatMap((s) => s.namespaces),
    "--ignore-not-found",
    "--wait=false",
  ]);
  for (const s of scenarios) await restoreMeshScope(admin(), s.mesh, () => {});
  // an exam with an install task started the bare cluster
  if (scenarios.some((s) => s.requires.includes("bareCluster"))) await createBareDriver().down(() => {});
});

describe.each(exams)("exam %s on the lite cluster, its tasks side by side", (examId, examOf) => {
  it("is unanswered after setup and fully answered after every task's solution", { timeout: 900_000 }, async () => {
    const exam = await examOf();
    for (const t of exam.tasks) setUp.add(t.scenario);
    const lines: string[] = [];
    const started = Date.now();
    await setUpExam(exam.tasks, (line) => lines.push(line), { cluster: admin() });
    console.log(`${examId}: ${exam.tasks.length} tasks set up in ${Math.round((Date.now() - started) / 1000)} s`);
    expect(lines.filter((l) => / ready \(\d+ of \d+ scenarios\)$/.test(l)).length).toBe(
      new Set(exam.tasks.map((t) => t.scenario)).size,
    );

    // each scenario graded on its cluster (the bare one for an install task), as the exam page does
    const before = await gradeExam(exam.tasks);
    // traffic checks are skipped on lite (no data plane): not judged either way
    const isSkipped = (c: { status: string }) => c.status === "skipped";
    expect(
      offending(before, (c) => isSkipped(c) || c.status === "fail" || (c.isPreSatisfied && c.status === "pass")),
    ).toEqual([]);
    // every task has something left to do
    const answeredAtSetup = before.tasks.filter((t) => t.checks.every((c) => c.status === "pass"));
    expect(answeredAtSetup.map((t) => `${t.scenario}/${t.task}`)).toEqual([]);

    for (const ref of exam.tasks) {
      const task = scenarioOf(ref.scenario).tasks.find((t) => t.id === ref.task);
      if (!task) throw new Error(`${ref.scenario} has no task ${ref.task}`);
      const cluster = clusterForScenario(admin(), scenarioOf(ref.scenario));
      const applied = await applyManifests(cluster, { path: task.solution });
      if (!applied.ok) throw new Error(`${ref.scenario}/${ref.task}: ${applied.message}`);
      await waitForRollouts(cluster, [{ path: task.solution }]);
    }
    const after = await gradeExam(exam.tasks);
    expect(offending(after, (c) => isSkipped(c) || c.status === "pass")).toEqual([]);
  });
});

// Grading a fixed exam set up from files (the same manifests the exam applies live), with the
// solutions of two tasks: those earn their points, the unanswered ones score 0, and a cluster that
// cannot be read leaves the exam not graded.
import { describe, expect, it } from "vitest";
import { loadFileCluster, type ManifestSource } from "../cluster/file-cluster";
import { AppError } from "../errors";
import { loadScenario } from "../scenarios/load-scenario";
import type { Scenario } from "../scenarios/schema";
import { examTaskAnswers, examTaskText } from "./exam-task-content";
import { examScenarioManifests } from "./exam-task-manifests";
import { type ExamGrader, gradeExam, scoringInputOf } from "./grade-exam";
import { loadExam } from "./load-exam";
import { scoreExam } from "./score-exam";

const loaded = loadExam("mock-1");
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
const exam = loaded.exam;

const scenarios = new Map<string, Scenario>();
for (const id of new Set(exam.tasks.map((t) => t.scenario))) {
  const r = loadScenario(id);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  scenarios.set(id, r.scenario);
}
const taskOf = (scenario: string, task: string) => {
  const found = scenarios.get(scenario)?.tasks.find((t) => t.id === task);
  if (!found) throw new Error(`${scenario}/${task}`);
  return found;
};
const sittingTasks = exam.tasks.map((t) => ({
  ...t,
  domain: scenarios.get(t.scenario)?.domain ?? "traffic",
  points: taskOf(t.scenario, t.task).points,
}));

/** mock-1 set up side by side from files, plus the solutions of the given tasks. */
function fileGrader(solved: readonly { scenario: string; task: string }[]): ExamGrader {
  const asked = new Map<string, string[]>();
  for (const t of exam.tasks) asked.set(t.scenario, [...(asked.get(t.scenario) ?? []), t.task]);
  const setup = [...asked].flatMap(([id, taskIds]) => examScenarioManifests(scenarios.get(id) as Scenario, taskIds));
  const answers: ManifestSource[] = solved.map((t) => ({ path: taskOf(t.scenario, t.task).solution }));
  const { cluster, errors } = loadFileCluster([...setup, ...answers]);
  expect(errors).toEqual([]);
  return { name: "files", cluster };
}

const SOLVED = [
  { scenario: "traffic-shift", task: "shift" },
  { scenario: "authz-deny-allow", task: "deny-all" },
];
const isSolved = (t: { scenario: string; task: string }) =>
  SOLVED.some((s) => s.scenario === t.scenario && s.task === t.task);

describe("gradeExam", () => {
  it("grades every check of every task once, in the exam's order, with reasons, weights and evidence", async () => {
    const grading = await gradeExam(exam.tasks, fileGrader(SOLVED));
    expect(grading.cluster).toBe("files");
    expect(grading.tasks.map((t) => `${t.scenario}/${t.task}`)).toEqual(
      exam.tasks.map((t) => `${t.scenario}/${t.task}`),
    );
    for (const t of grading.tasks) {
      const content = taskOf(t.scenario, t.task);
      expect(t.checks.map((c) => c.check)).toEqual(content.checks.map((c) => c.id));
      expect(t.results.map((r) => r.id)).toEqual(content.checks.map((c) => `${t.task}/${c.id}`));
      const preSatisfied = new Set(content.preSatisfied);
      for (const c of t.checks) {
        expect(c.weight).toBe(1);
        // a fixed exam asks no check that passes after its setup, unless the scenario says so
        expect(c.isPreSatisfied, `${t.task}/${c.check}`).toBe(preSatisfied.has(c.check));
        expect(c.message.length, `${t.task}/${c.check}`).toBeGreaterThan(0);
      }
      const statuses = new Set(t.checks.map((c) => c.status));
      if (isSolved(t))
        expect(
          [...statuses].every((s) => s === "pass" || s === "skipped"),
          t.task,
        ).toBe(true);
      // a solved task can satisfy a later one of its scenario (deny-all denies what allow-curl must deny)
      else if (!SOLVED.some((x) => x.scenario === t.scenario)) {
        expect(t.checks.filter((c) => c.status === "pass" && !preSatisfied.has(c.check))).toEqual([]);
      }
    }
    const failed = grading.tasks.flatMap((t) => t.checks).filter((c) => c.status === "fail");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.some((c) => c.evidence.length > 0 || c.hint !== undefined)).toBe(true);
  });

  it("gives what the report needs: the task's text, then its solution files and explanation", async () => {
    const grading = await gradeExam(exam.tasks, fileGrader([]));
    const shift = grading.tasks.find((t) => t.task === "shift");
    expect(shift?.text).toMatchObject({
      scenario: "traffic-shift",
      task: "shift",
      domain: "traffic",
      points: taskOf("traffic-shift", "shift").points,
      markdown: expect.stringContaining(" "),
    });
    expect(shift?.answers.solution.path).toBe("solution");
    expect(shift?.answers.solution.files.map((f) => f.path)).toEqual([
      "solution/destinationrule.yaml",
      "solution/virtualservice.yaml",
    ]);
    expect(shift?.answers.solution.files.every((f) => /kind:/.test(f.content))).toBe(true);
    expect(shift?.answers.explanation).toEqual(taskOf("traffic-shift", "shift").explanation);
    expect(shift?.answers.alternatives.length).toBeGreaterThan(0);
  });

  it("errors every check, never fails one, when the cluster cannot be read: the exam is not graded", async () => {
    const message = "The lite cluster is not running. Start it with: npm run cluster -- up --driver lite";
    const grading = await gradeExam(exam.tasks, {
      name: "lite",
      cluster: { ok: false, failure: { reason: "unreachable", message } },
    });
    const checks = grading.tasks.flatMap((t) => t.checks);
    expect(new Set(checks.map((c) => c.status))).toEqual(new Set(["error"]));
    const { tasks, results } = scoringInputOf(sittingTasks, grading);
    const score = scoreExam({ tasks, passPercent: exam.passPercent }, results);
    expect(score.status).toBe("not-graded");
    if (score.status !== "not-graded") return;
    expect(score.errored).toHaveLength(checks.length);
    expect(score.reason).toContain(message);
  });

  it("scores the solved tasks' points and 0 for the unanswered ones", async () => {
    const grading = await gradeExam(exam.tasks, fileGrader(SOLVED));
    const { tasks, results } = scoringInputOf(sittingTasks, grading);
    const score = scoreExam({ tasks, passPercent: exam.passPercent }, results);
    if (score.status !== "graded") throw new Error(score.reason);
    for (const t of score.tasks) {
      const points = taskOf(t.scenario, t.task).points;
      if (isSolved(t)) expect(t.earned, t.task).toBe(points);
      else expect(t.earned, t.task).toBeLessThan(points);
    }
    const solvedPoints = SOLVED.reduce((s, t) => s + taskOf(t.scenario, t.task).points, 0);
    expect(score.earned).toBeGreaterThanOrEqual(solvedPoints);
    expect(score.passed).toBe(false);
  });

  it("marks checks that pass from the setup alone, so an unanswered task earns nothing from them", async () => {
    // allow-curl without deny-all: deny-all's solution is part of the setup, so allow-curl's
    // "still denied" guards pass before the learner does anything
    const refs = [{ scenario: "authz-deny-allow", task: "allow-curl" }];
    const scenario = scenarios.get("authz-deny-allow") as Scenario;
    const setUp = (solved: boolean): ExamGrader => {
      const sources: ManifestSource[] = examScenarioManifests(scenario, ["allow-curl"]);
      if (solved) sources.push({ path: taskOf("authz-deny-allow", "allow-curl").solution });
      const { cluster, errors } = loadFileCluster(sources);
      expect(errors).toEqual([]);
      return { name: "files", cluster };
    };
    const points = taskOf("authz-deny-allow", "allow-curl").points;
    const sitting = [{ ...refs[0], domain: "security" as const, points }];

    const unanswered = await gradeExam(refs, setUp(false));
    const checks = unanswered.tasks[0].checks;
    const guards = checks.filter((c) => c.isPreSatisfied);
    expect(guards.length).toBeGreaterThan(0);
    expect(guards.every((c) => c.status === "pass")).toBe(true);
    expect(checks.filter((c) => !c.isPreSatisfied).every((c) => c.status === "fail")).toBe(true);
    const before = scoreExam(
      { tasks: scoringInputOf(sitting, unanswered).tasks },
      scoringInputOf(sitting, unanswered).results,
    );
    expect(before).toMatchObject({ status: "graded", earned: 0, tasks: [{ isAnswered: false, earned: 0 }] });

    const answered = await gradeExam(refs, setUp(true));
    const input = scoringInputOf(sitting, answered);
    expect(scoreExam({ tasks: input.tasks }, input.results)).toMatchObject({ status: "graded", earned: points });
  });

  it("refuses an exam whose task its scenario no longer has, grading nothing", async () => {
    const refs = [...exam.tasks, { scenario: "traffic-shift", task: "gone" }];
    await expect(gradeExam(refs, fileGrader([]))).rejects.toThrow(AppError);
    await expect(gradeExam(refs, fileGrader([]))).rejects.toThrow("scenario 'traffic-shift' has no task 'gone'");
  });
});

describe("an exam task's text and answers", () => {
  const scenario = scenarios.get("traffic-shift") as Scenario;

  it("keeps hints, solutions and explanations out of the text the exam page shows", () => {
    const text = examTaskText(scenario, "shift");
    expect(Object.keys(text).sort()).toEqual(
      ["competency", "docs", "domain", "markdown", "points", "scenario", "scenarioTitle", "task", "title"].filter(
        (k) => k !== "docs" || taskOf("traffic-shift", "shift").docs !== undefined,
      ),
    );
    const sent = JSON.stringify(text);
    const answers = examTaskAnswers(scenario, "shift");
    expect(answers.solution.files.length).toBeGreaterThan(0);
    for (const f of answers.solution.files) expect(sent).not.toContain(f.content.trim());
    for (const h of answers.hints) expect(sent).not.toContain(h);
  });

  it("refuses a task the scenario does not have", () => {
    expect(() => examTaskText(scenario, "nope")).toThrow(AppError);
    expect(() => examTaskAnswers(scenario, "nope")).toThrow(AppError);
  });
});

// Exam mode from start to report, as the pages will call it: the cluster is manifests read from
// files (mock-1's setup side by side, plus the solutions of the tasks "solved"), the store a
// SQLite file; a "restart" drops the process's database client and reads again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadFileCluster } from "../cluster/file-cluster";
import type { Cluster, ClusterResult } from "../cluster/types";
import { tasksAnsweredAtSetup } from "../exams/answered-at-setup";
import { drawExam } from "../exams/draw-exam";
import { examScenarioManifests } from "../exams/exam-task-manifests";
import { loadCatalog } from "../scenarios/load-catalog";
import { loadScenario } from "../scenarios/load-scenario";
import type { Scenario } from "../scenarios/schema";
import { getExamReport } from "./exam-report";
import { flagExamTaskForReview, getExamHistory, getExamView, getRunningExamView } from "./exam-view";
import { finishExam } from "./finish-exam";
import { startExam } from "./start-exam";

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

const store = globalThis as unknown as { icaDb?: { $disconnect(): Promise<void> } };
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ica-exam-mode-"));
  vi.stubEnv("DATABASE_URL", `file:${path.join(dir, "progress.db")}`);
  store.icaDb = undefined;
});
afterAll(async () => {
  await store.icaDb?.$disconnect();
  store.icaDb = undefined;
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

/** The server restarts: the next call opens a new database client. */
async function restart(): Promise<void> {
  await store.icaDb?.$disconnect();
  store.icaDb = undefined;
}

const T0 = new Date("2026-12-16T09:00:00.000Z");
const at = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

function scenario(id: string): Scenario {
  const r = loadScenario(id);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}
const pointsOf = (scenarioId: string, taskId: string) =>
  scenario(scenarioId).tasks.find((t) => t.id === taskId)?.points ?? Number.NaN;

/** The exam's tasks set up side by side from files, with the given tasks' solutions applied. */
function gradeOnFiles(
  tasks: readonly { scenario: string; task: string }[],
  solved: readonly { scenario: string; task: string }[],
): void {
  const asked = new Map<string, string[]>();
  for (const t of tasks) asked.set(t.scenario, [...(asked.get(t.scenario) ?? []), t.task]);
  const setup = [...asked].flatMap(([id, taskIds]) => examScenarioManifests(scenario(id), taskIds));
  const answers = solved.map((t) => ({
    path: scenario(t.scenario).tasks.find((x) => x.id === t.task)?.solution ?? "",
  }));
  const { cluster, errors } = loadFileCluster([...setup, ...answers]);
  expect(errors).toEqual([]);
  grader.cluster = { ok: true, value: cluster };
}

const SOLVED = [
  { scenario: "traffic-shift", task: "shift" },
  { scenario: "port-naming", task: "orders" },
];

describe("exam mode on mock-1", () => {
  let id = "";

  it("starts with the countdown on the server and shows the tasks' text, nothing of their answers", async () => {
    const session = await startExam({ exam: "mock-1" }, T0);
    id = session.id;
    expect(session).toMatchObject({ examId: "mock-1", status: "running", startedAt: T0, endsAt: at(T0, 120) });
    expect(session.tasks).toHaveLength(16);

    const view = await getExamView(id, at(T0, 10));
    expect(view.remainingMs).toBe(110 * 60_000);
    expect(view.tasks.every((t) => t.text !== null && t.text.markdown.length > 0)).toBe(true);
    expect(view.tasks[2]).toMatchObject({
      scenario: "traffic-shift",
      task: "shift",
      points: pointsOf("traffic-shift", "shift"),
      text: { title: expect.any(String), domain: "traffic" },
    });
    // what the page would send: no hint, solution, explanation or check of any task
    const sent = JSON.stringify(view);
    for (const t of view.tasks) {
      const content = scenario(t.scenario).tasks.find((x) => x.id === t.task);
      for (const hint of content?.hints ?? []) expect(sent).not.toContain(hint);
      for (const c of content?.checks ?? []) if (c.hint) expect(sent).not.toContain(c.hint);
      if (content?.explanation) expect(sent).not.toContain(content.explanation.trim());
    }
    expect(sent).not.toMatch(/"(checks|answers|solution|hints|explanation|earned)"/);

    await expect(startExam({ exam: "mock-2" }, at(T0, 11))).rejects.toMatchObject({ code: "invalid" });
    await expect(getExamReport(id)).rejects.toMatchObject({ code: "invalid" });
  });

  it("keeps the time left and the flags across a restart", async () => {
    await flagExamTaskForReview(id, 3, true);
    await restart();
    const view = await getRunningExamView(at(T0, 45));
    expect(view?.id).toBe(id);
    expect(view?.remainingMs).toBe(75 * 60_000);
    expect(view?.tasks.filter((t) => t.flagged).map((t) => t.position)).toEqual([3]);
  });

  it("with the cluster down, is not graded: the learner is told why and which checks", async () => {
    const message = "The lite cluster is not running. Start it with: npm run cluster -- up --driver lite";
    grader.cluster = { ok: false, failure: { reason: "unreachable", message } };
    const report = await finishExam(id, at(T0, 60));
    expect(report).toMatchObject({
      status: "not-graded",
      percent: null,
      passed: null,
      session: { status: "not-graded", finishedAt: at(T0, 60), timedOut: false },
    });
    expect(report.reason).toContain(message);
    const checkCount = report.tasks.reduce(
      (n, t) => n + scenario(t.scenario).tasks.find((x) => x.id === t.task)!.checks.length,
      0,
    );
    expect(report.errored).toHaveLength(checkCount);
    expect(report.tasks.every((t) => t.checks.every((c) => c.status === "error"))).toBe(true);
    // it may be graded again on the cluster as the learner left it: no answers yet
    expect(report.tasks.every((t) => t.answers === null && t.text !== null)).toBe(true);
    expect(await getRunningExamView()).toBeUndefined();
  });

  it("grades again once the cluster is back: solved tasks earn their points, unanswered ones none", async () => {
    gradeOnFiles((await getExamView(id)).tasks, SOLVED);
    await restart();
    const report = await finishExam(id, at(T0, 70));
    expect(report).toMatchObject({
      status: "graded",
      reason: null,
      errored: [],
      passed: false,
      session: { status: "graded", finishedAt: at(T0, 60), timedOut: false, gradings: 2 },
    });
    for (const t of report.tasks) {
      const isSolved = SOLVED.some((s) => s.scenario === t.scenario && s.task === t.task);
      if (isSolved) expect(t.earned, t.task).toBe(t.points);
      expect(t.answers?.solution.files.length, t.task).toBeGreaterThan(0);
    }
    const solved = SOLVED.reduce((n, s) => n + pointsOf(s.scenario, s.task), 0);
    expect(report.earned).toBeGreaterThanOrEqual(solved);
    expect(report.earned).toBeLessThan(report.possible ?? 0);
    expect(report.domains?.traffic.earned).toBeGreaterThanOrEqual(pointsOf("traffic-shift", "shift"));
    const shift = report.tasks.find((t) => t.task === "shift");
    expect(shift?.checks.every((c) => c.status === "pass" || c.status === "skipped")).toBe(true);
    expect(shift?.answers?.explanation).toBeDefined();
    const failing = report.tasks.flatMap((t) => t.checks).find((c) => c.status === "fail");
    expect(failing?.message.length).toBeGreaterThan(0);

    // the stored report reads the same later, and a graded exam is not graded again
    await restart();
    expect(JSON.parse(JSON.stringify(await getExamReport(id, at(T0, 70))))).toEqual(JSON.parse(JSON.stringify(report)));
    await expect(finishExam(id, at(T0, 80))).rejects.toMatchObject({ code: "invalid" });
    expect((await getExamHistory()).map((e) => [e.id, e.status, e.percent])).toEqual([[id, "graded", report.percent]]);
  });
});

describe("a random exam", () => {
  it("is drawn by its seed, and a finish after the deadline is graded then and records the time-out", async () => {
    const T1 = at(T0, 24 * 60);
    const session = await startExam({ random: true, seed: 42 }, T1);
    const scenarios = loadCatalog().flatMap((r) => (r.ok ? [r.scenario] : []));
    expect(session).toMatchObject({ examId: "random-42", seed: 42 });
    expect(session.tasks.map((t) => ({ scenario: t.scenario, task: t.task }))).toEqual(
      drawExam(scenarios, 42, await tasksAnsweredAtSetup(scenarios)).tasks,
    );

    gradeOnFiles(session.tasks, []);
    const report = await finishExam(session.id, at(T1, 125));
    expect(report).toMatchObject({
      status: "graded",
      passed: false,
      session: { finishedAt: at(T1, 125), timedOut: true },
    });
    expect(report.passPercent).toBe(68);
    // unanswered: every task scores 0, even where a guard check passes from the setup alone
    expect(report.tasks.map((t) => [t.task, t.earned])).toEqual(report.tasks.map((t) => [t.task, 0]));
    expect(report.earned).toBe(0);
    expect(report.percent).toBeLessThan(report.passPercent);
    expect((await getExamHistory()).map((e) => e.examId)).toEqual(["mock-1", "random-42"]);
  });

  it("gets a seed when none is given, and refuses an exam that does not exist", async () => {
    const history = await getExamHistory();
    const session = await startExam({ random: true }, at(T0, 3 * 24 * 60));
    expect(session.seed).toEqual(expect.any(Number));
    expect(session.examId).toBe(`random-${session.seed}`);
    expect(await getExamHistory()).toEqual(history);
    await expect(startExam({ exam: "mock-99" })).rejects.toMatchObject({ code: "not-found" });
  });
});

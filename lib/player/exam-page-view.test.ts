// The exam page's view while an exam runs holds each task's text, points, domain and docs link,
// the flags and the time left, and nothing of any task's checks, hints, solutions or
// explanations: checked on both fixed exams, on the view as the page receives it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { examTaskAnswers } from "../exams/exam-task-content";
import { loadScenario } from "../scenarios/load-scenario";
import type { Scenario } from "../scenarios/schema";
import { requestExamEnd } from "./end-exam";
import { getExamPage } from "./exam-page-view";
import { startExam } from "./start-exam";

vi.mock("../cluster/active-cluster", () => ({
  resolveActiveCluster: () => ({
    driver: "current",
    name: "test-context",
    kubeconfig: "/nonexistent/kubeconfig",
    capabilities: { dataPlane: false },
  }),
  // nothing answers: an ending grades "not graded", which is all this test needs of it
  connectGrader: () => ({ ok: false, failure: { reason: "unreachable", message: "no cluster in this test" } }),
}));

const store = globalThis as unknown as { icaDb?: { $disconnect(): Promise<void> } };
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ica-exam-page-view-"));
  vi.stubEnv("DATABASE_URL", `file:${path.join(dir, "progress.db")}`);
  store.icaDb = undefined;
});
afterAll(async () => {
  await store.icaDb?.$disconnect();
  store.icaDb = undefined;
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

function scenario(id: string): Scenario {
  const r = loadScenario(id);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

/** Every text of a task that only the report may show. */
function answersOf(scenarioId: string, taskId: string): string[] {
  const s = scenario(scenarioId);
  const task = s.tasks.find((t) => t.id === taskId)!;
  const answers = examTaskAnswers(s, taskId);
  return [
    ...answers.hints,
    ...task.checks.flatMap((c) => (c.hint ? [c.hint] : [])),
    ...(answers.explanation ? [answers.explanation.trim()] : []),
    ...answers.solution.files.map((f) => f.content.trim()),
    ...answers.alternatives.flatMap((a) => [a.why, ...a.files.map((f) => f.content.trim())]),
  ].filter((text) => text.length > 0);
}

const T0 = new Date("2026-12-20T09:00:00.000Z");
const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);

describe.each(["mock-1", "mock-2"])("the exam page's view of %s", (examId) => {
  it("shows every task's text, points, domain and docs link, the flags and the time left; no answers", async () => {
    const session = await startExam({ exam: examId }, T0);
    const page = await getExamPage(session.id, minutes(30));
    if (page.state !== "running") throw new Error(`expected a running exam, got ${page.state}`);
    const { view } = page;
    expect(view).toMatchObject({ id: session.id, minutes: 120, passPercent: 68, remainingMs: 90 * 60_000 });
    expect(view.endsAt).toBe(minutes(120).toISOString());
    expect(view.tasks).toHaveLength(session.tasks.length);
    for (const [i, t] of view.tasks.entries()) {
      const ref = session.tasks[i];
      const task = scenario(ref.scenario).tasks.find((x) => x.id === ref.task)!;
      expect(t).toEqual({
        position: i,
        title: task.title,
        markdown: task.markdown,
        points: task.points,
        domain: scenario(ref.scenario).domain,
        docs: task.docs ?? null,
        context: scenario(ref.scenario).requires.includes("bareCluster") ? "ica-lite-bare" : null,
        flagged: false,
      });
    }
    expect(view.totalPoints).toBe(view.tasks.reduce((n, t) => n + t.points, 0));
    // every task of both exams names its istio.io page
    expect(view.tasks.filter((t) => t.docs === null).map((t) => t.title)).toEqual([]);

    // what reaches the browser: not one answer of any task, no field that could carry one
    const sent = JSON.stringify(view);
    for (const t of session.tasks) {
      for (const answer of answersOf(t.scenario, t.task)) expect(sent, `${t.scenario}/${t.task}`).not.toContain(answer);
      for (const c of scenario(t.scenario).tasks.find((x) => x.id === t.task)!.checks) {
        expect(sent).not.toContain(`"${c.id}"`);
      }
    }
    expect(sent).not.toMatch(
      /"(checks?|results?|answers|solution|hints?|explanation|alternatives|earned|score|status|use|fn|scenario|task)"/,
    );

    // the page's End exam grades it (the test's cluster does not answer: not graded) and answers the outcome only
    const outcome = await requestExamEnd(session.id, { atDeadline: false }, minutes(31));
    expect(outcome).toEqual({ status: "not-graded", reason: expect.stringContaining("no cluster in this test") });
    expect(await getExamPage(session.id, minutes(32))).toEqual({ state: "finished" });
  });
});

import { expect, it } from "vitest";
import type { CatalogTask } from "./readiness";
import { type FinishedExam, type PracticeCheckRecord, scoreHistory } from "./score-history";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 10, 9, minute));

const TASKS: CatalogTask[] = [
  {
    scenario: "mirror",
    scenarioTitle: "Mirror",
    task: "subsets",
    domain: "traffic",
    competency: "Traffic shifting",
    points: 2,
    checks: [{ id: "dr" }],
  },
  {
    scenario: "mirror",
    scenarioTitle: "Mirror",
    task: "mirror",
    domain: "traffic",
    competency: "Traffic shifting",
    points: 4,
    checks: [{ id: "route" }, { id: "pct" }],
  },
  {
    scenario: "authz",
    scenarioTitle: "Authz",
    task: "deny",
    domain: "security",
    competency: "Authorization",
    points: 5,
    checks: [{ id: "policy" }],
  },
];

function run(
  attemptId: string,
  scenario: string,
  task: string,
  minute: number,
  statuses: Record<string, string>,
): PracticeCheckRecord {
  return {
    source: "practice",
    attemptId,
    scenario,
    task,
    at: at(minute),
    results: Object.entries(statuses).map(([c, status]) => ({ checkId: `${task}/${c}`, status })),
  };
}

function finished(id: string, minute: number, extra: Partial<FinishedExam> = {}): FinishedExam {
  return {
    id,
    title: `Exam ${id}`,
    status: "graded",
    finishedAt: at(minute),
    earned: 10,
    possible: 20,
    percent: 50,
    passed: false,
    passPercent: 68,
    ...extra,
  };
}

it("scores each practice attempt over its scenario's points with each task's latest judged Check, oldest first with the exams", () => {
  const history = scoreHistory(
    TASKS,
    [
      run("a1", "mirror", "subsets", 1, { dr: "fail" }),
      run("a1", "mirror", "subsets", 2, { dr: "pass" }),
      run("a1", "mirror", "mirror", 3, { route: "pass", pct: "fail" }),
      run("a1", "mirror", "mirror", 9, { route: "error", pct: "error" }), // says nothing: neither score nor time
      run("a2", "authz", "deny", 4, { policy: "fail" }),
      { source: "exam" },
    ],
    [
      finished("s1", 6),
      finished("s2", 2, { status: "not-graded", earned: null, possible: null, percent: null, passed: null }),
    ],
  );
  expect(history.map((h) => [h.kind, h.id, h.at.getUTCMinutes(), h.percent])).toEqual([
    ["exam", "s2", 2, null],
    ["practice", "a1", 3, (100 * 4) / 6], // 2 + half of 4
    ["practice", "a2", 4, 0],
    ["exam", "s1", 6, 50],
  ]);
  expect(history[1]).toMatchObject({ title: "Mirror", scenario: "mirror", earned: 4, possible: 6, tried: 2, tasks: 2 });
  expect(history[0]).toMatchObject({ title: "Exam s2", status: "not-graded", passed: null, passPercent: 68 });
});

it("counts an unchecked task as 0 and leaves out attempts with no judged Check or of scenarios gone from the catalog", () => {
  const history = scoreHistory(
    TASKS,
    [
      run("a1", "mirror", "mirror", 1, { route: "pass", pct: "pass" }),
      run("a2", "authz", "deny", 2, { policy: "error" }),
      run("a3", "gone", "t", 3, { c: "pass" }),
    ],
    [],
  );
  expect(history).toHaveLength(1);
  expect(history[0]).toMatchObject({ id: "a1", earned: 4, possible: 6, tried: 1, tasks: 2 });
});

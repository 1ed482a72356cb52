import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordReset, startAttempt } from "./attempts";
import { recordCheckRun } from "./check-runs";
import { createDb, type Db } from "./db";
import { createExamSession, type ExamGradingInput, recordExamGrading } from "./exams";
import { ensureLearner } from "./learners";
import { migrateDatabase } from "./migrate";
import { listTaskRecords } from "./task-results";
import { testBackends } from "./test-backends";

const T0 = new Date("2026-12-15T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const EXAM_TASKS = [
  { scenario: "mirror", task: "mirror", domain: "traffic", points: 4 },
  { scenario: "authz", task: "deny", domain: "security", points: 5 },
] as const;

function grading(at: Date, mirror: "pass" | "fail" | "error"): ExamGradingInput {
  const tasks = [
    { scenario: "mirror", task: "mirror", results: [result("mirror/route", mirror)] },
    { scenario: "authz", task: "deny", results: [result("deny/policy", "fail")] },
  ];
  if (mirror === "error") return { at, cluster: "lite", tasks, score: { status: "not-graded", reason: "1 errored" } };
  const earned = mirror === "pass" ? 4 : 0;
  return {
    at,
    cluster: "lite",
    tasks,
    score: {
      status: "graded",
      earned,
      possible: 9,
      percent: (100 * earned) / 9,
      passed: false,
      tasks: [
        { scenario: "mirror", task: "mirror", earned, possible: 4 },
        { scenario: "authz", task: "deny", earned: 0, possible: 5 },
      ],
    },
  };
}

function result(id: string, status: "pass" | "fail" | "error") {
  return { id, status, message: status, durationMs: 1 };
}

const backends = await testBackends("ica_task_results");

describe.each(backends)("task records on $name", (backend) => {
  let db: Db;
  const run = it.runIf(backend.mode === "run");

  beforeAll(async () => {
    if (backend.mode === "skip") return;
    const url = await backend.setUp();
    await migrateDatabase(url);
    db = createDb(url);
  });
  afterAll(async () => {
    if (backend.mode === "skip") return;
    await db?.$disconnect();
    await backend.tearDown();
  });

  run(
    "lists practice Checks (resets included) and graded exams' task scores, oldest first, of this learner only",
    async () => {
      const learner = await ensureLearner(db, "dash-learner");
      const other = await ensureLearner(db, "other-learner");
      const attempt = await startAttempt(db, learner.id, "mirror");
      const first = await recordCheckRun(db, {
        attemptId: attempt.id,
        taskId: "mirror",
        cluster: "lite",
        results: [result("mirror/route", "fail"), result("mirror/pct", "pass")],
      });
      await db.checkRun.update({ where: { id: first.id }, data: { createdAt: minutes(1) } });
      await recordReset(db, attempt.id);
      const second = await recordCheckRun(db, {
        attemptId: attempt.id,
        taskId: "subsets",
        cluster: "lite",
        results: [result("subsets/dr", "error")],
      });
      await db.checkRun.update({ where: { id: second.id }, data: { createdAt: minutes(30) } });
      const theirs = await startAttempt(db, other.id, "mirror");
      await recordCheckRun(db, {
        attemptId: theirs.id,
        taskId: "mirror",
        cluster: "lite",
        results: [result("mirror/route", "pass")],
      });

      // a graded sitting (its runs are on exam attempts: they are the exam's, not practice Checks)
      const graded = await createExamSession(
        db,
        { learnerId: learner.id, examId: "mock-1", title: "Mock 1", minutes: 120, passPercent: 68, tasks: EXAM_TASKS },
        minutes(2),
      );
      await recordExamGrading(db, learner.id, graded.id, grading(minutes(20), "fail"));
      // a sitting that was not graded says nothing of the answers
      const notGraded = await createExamSession(
        db,
        { learnerId: learner.id, examId: "mock-2", title: "Mock 2", minutes: 120, passPercent: 68, tasks: EXAM_TASKS },
        minutes(40),
      );
      await recordExamGrading(db, learner.id, notGraded.id, grading(minutes(50), "error"));

      const records = await listTaskRecords(db, learner.id);
      expect(records).toEqual([
        {
          source: "practice",
          attemptId: attempt.id,
          scenario: "mirror",
          task: "mirror",
          at: minutes(1),
          results: [
            { checkId: "mirror/route", status: "fail" },
            { checkId: "mirror/pct", status: "pass" },
          ],
        },
        expect.objectContaining({
          source: "exam",
          sittingId: graded.id,
          task: "mirror",
          at: minutes(20),
          earned: 0,
          possible: 4,
        }),
        expect.objectContaining({
          source: "exam",
          sittingId: graded.id,
          task: "deny",
          at: minutes(20),
          earned: 0,
          possible: 5,
        }),
        expect.objectContaining({ source: "practice", task: "subsets", at: minutes(30) }),
      ]);
      expect(
        records
          .filter((r) => r.source === "exam")
          .map((r) => r.scenario)
          .sort(),
      ).toEqual(["authz", "mirror"]);
    },
  );

  run("is empty for a learner with nothing stored", async () => {
    const learner = await ensureLearner(db, "new-learner");
    expect(await listTaskRecords(db, learner.id)).toEqual([]);
  });
});

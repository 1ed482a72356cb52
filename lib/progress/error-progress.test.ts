// A Check that could not reach the cluster says nothing about the answer: it never lowers what a
// task or a scenario had reached (issue #11: a pass turned back into "0/1 tasks").
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAttempt } from "./attempts";
import { latestTaskProgress, recordCheckRun } from "./check-runs";
import { createDb, type Db } from "./db";
import { ensureLearner } from "./learners";
import { migrateDatabase } from "./migrate";
import { scenarioStatuses } from "./scenario-status";

let dir = "";
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "ica-error-progress-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await migrateDatabase(url);
  db = createDb(url);
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const result = (status: "pass" | "fail" | "error") => ({
  id: "t/c",
  status,
  message: status,
  durationMs: 1,
  evidence: [],
});

it("keeps a pass when a later Check errors, and counts every Check", async () => {
  const learner = await ensureLearner(db);
  const attempt = await startAttempt(db, learner.id, "sc");
  await recordCheckRun(db, { attemptId: attempt.id, taskId: "t", cluster: "lite", results: [result("fail")] });
  await recordCheckRun(db, { attemptId: attempt.id, taskId: "t", cluster: "lite", results: [result("pass")] });
  await recordCheckRun(db, { attemptId: attempt.id, taskId: "t", cluster: "none", results: [result("error")] });

  const [task] = await latestTaskProgress(db, learner.id, "sc");
  expect(task.state).toBe("error"); // the panel shows what the last Check said
  expect(task.reached).toBe("passed"); // progress keeps what the answer reached
  expect(task.checks).toBe(3);
  expect((await scenarioStatuses(db, learner.id, { sc: 1 })).sc).toMatchObject({ state: "passed", tasksPassed: 1 });
});

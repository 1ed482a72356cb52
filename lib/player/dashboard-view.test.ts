import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { copyScenarios } from "../../tests/unit/scenario-fixtures";

it("reads the stored Checks and exams into readiness, history and weakest competencies over the catalog", async () => {
  process.env.ICA_SCENARIOS_DIR = copyScenarios(["traffic-mirroring", "analyze-short-host", "authz-deny-allow"]);
  process.env.DATABASE_URL = `file:${path.join(mkdtempSync(path.join(tmpdir(), "ica-db-")), "t.db")}`;
  const { getDashboardView } = await import("./dashboard-view");
  const { getDb } = await import("../progress/db");
  const { ensureLearner } = await import("../progress/learners");
  const { startAttempt } = await import("../progress/attempts");
  const { recordCheckRun } = await import("../progress/check-runs");
  const { createExamSession, recordExamGrading } = await import("../progress/exams");

  const empty = await getDashboardView(); // migrates the new database
  expect(empty.history).toEqual([]);
  expect(empty.readiness.overall).toBe(0);
  expect(empty.untried.map((c) => c.competency)).toEqual(["Traffic shifting", "Authorization", "Configuration"]);

  const db = getDb();
  const learner = await ensureLearner(db);
  const attempt = await startAttempt(db, learner.id, "traffic-mirroring");
  const check = (id: string, status: "pass" | "fail" | "skipped") => ({ id, status, message: status, durationMs: 1 });
  await recordCheckRun(db, {
    attemptId: attempt.id,
    taskId: "subsets",
    cluster: "lite",
    results: [check("subsets/destinationrule.subsets", "pass")],
  });
  await recordCheckRun(db, {
    attemptId: attempt.id,
    taskId: "mirror",
    cluster: "lite",
    // on lite the traffic checks are skipped, so the task is scored on the other two
    results: [
      check("mirror/virtualservice.routes", "pass"),
      check("mirror/virtualservice.mirror", "fail"),
      check("mirror/served-by-v1", "skipped"),
      check("mirror/copies-reach-v2", "skipped"),
    ],
  });
  const task = { scenario: "analyze-short-host", task: "fix-hosts", domain: "troubleshooting", points: 4 } as const;
  const sitting = await createExamSession(db, {
    learnerId: learner.id,
    examId: "mock-x",
    title: "Mock X",
    minutes: 120,
    passPercent: 68,
    tasks: [task],
  });
  await recordExamGrading(db, learner.id, sitting.id, {
    at: new Date(),
    cluster: "lite",
    tasks: [{ scenario: task.scenario, task: task.task, results: [check("fix-hosts/hosts.resolve", "pass")] }],
    score: {
      status: "graded",
      earned: 4,
      possible: 4,
      percent: 100,
      passed: true,
      tasks: [{ scenario: task.scenario, task: task.task, earned: 4, possible: 4 }],
    },
  });

  const view = await getDashboardView();
  const percent = (d: string) => view.readiness.domains.find((x) => x.domain === d)?.percent;
  // traffic-mirroring: subsets 2/2, mirror 2/4 (one of two equal checks) of 6 points
  expect(percent("traffic")).toBeCloseTo((100 * 4) / 6);
  expect(percent("troubleshooting")).toBe(100);
  expect(percent("security")).toBe(0);
  expect(percent("install")).toBeNull();
  expect(view.readiness.uncovered).toEqual(["install"]);
  expect(view.readiness.overall).toBeCloseTo((35 * ((100 * 4) / 6) + 25 * 0 + 20 * 100) / 80);
  expect(view.passPercent).toBe(68);
  expect(view.tried).toBe(3);
  expect(view.tasks).toBe(5);
  expect(view.history.map((h) => [h.kind, h.id, h.title, h.percent])).toEqual([
    ["practice", attempt.id, "Mirror live traffic to a new version", (100 * 4) / 6],
    ["exam", sitting.id, "Mock X", 100],
  ]);
  expect(view.weakest.map((c) => [c.competency, c.scenarios.map((s) => s.id)])).toEqual([
    ["Traffic shifting", ["traffic-mirroring"]],
  ]);
  expect(view.untried.map((c) => c.competency)).toEqual(["Authorization"]);
}, 60_000);

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import type { CheckStatus } from "../verify/types";
import { createDb, type Db } from "./db";
import {
  createExamSession,
  type ExamGradingInput,
  findRunningExam,
  flagExamTask,
  listFinishedExams,
  type NewExamSession,
  readExamResult,
  readExamSession,
  recordExamGrading,
} from "./exams";
import { ensureLearner } from "./learners";
import { migrateDatabase, migrationsDir } from "./migrate";
import { testBackends } from "./test-backends";

const T0 = new Date("2026-12-15T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

// Three tasks of two scenarios: 4 + 6 + 5 points.
const TASKS = [
  { scenario: "inj", task: "enable", domain: "install", points: 4 },
  { scenario: "inj", task: "deploy", domain: "install", points: 6 },
  { scenario: "authz", task: "deny", domain: "security", points: 5 },
] as const;

function newSession(learnerId: string, extra: Partial<NewExamSession> = {}): NewExamSession {
  return { learnerId, examId: "mock-1", title: "Mock exam 1", minutes: 120, passPercent: 68, tasks: TASKS, ...extra };
}

/** A grading where each task's single check has the given status (default fail). */
function grading(at: Date, statuses: Partial<Record<string, CheckStatus>> = {}): ExamGradingInput {
  const tasks = TASKS.map((t) => {
    const status = statuses[`${t.scenario}/${t.task}`] ?? "fail";
    return {
      scenario: t.scenario,
      task: t.task,
      results: [
        {
          id: `${t.task}/check`,
          status,
          message: `${t.task} ${status}`,
          hint: status === "fail" ? `hint for ${t.task}` : undefined,
          evidence: [{ kind: "VirtualService", name: t.task, namespace: t.scenario, field: "spec" }],
          durationMs: 2,
        },
      ],
    };
  });
  const errored = tasks.flatMap((t) => t.results.filter((r) => r.status === "error"));
  if (errored.length > 0) {
    return { at, cluster: "lite", tasks, score: { status: "not-graded", reason: `${errored.length} checks errored` } };
  }
  const taskScores = TASKS.map((t) => ({
    scenario: t.scenario,
    task: t.task,
    earned: statuses[`${t.scenario}/${t.task}`] === "pass" ? t.points : 0,
    possible: t.points,
  }));
  const earned = taskScores.reduce((s, t) => s + t.earned, 0);
  const percent = (100 * earned) / 15;
  return {
    at,
    cluster: "lite",
    tasks,
    score: { status: "graded", earned, possible: 15, percent, passed: percent >= 68, tasks: taskScores },
  };
}

const backends = await testBackends("ica_exams");

describe.each(backends)("exam sittings on $name", (backend) => {
  let db: Db;
  let url: string;
  const run = it.runIf(backend.mode === "run");

  beforeAll(async () => {
    if (backend.mode === "skip") return;
    url = await backend.setUp();
    await migrateDatabase(url);
    db = createDb(url);
  });
  afterAll(async () => {
    if (backend.mode === "skip") return;
    await db?.$disconnect();
    await backend.tearDown();
  });

  run("starts a sitting with its countdown on the server and an exam attempt per scenario", async () => {
    const learner = await ensureLearner(db, "start-learner");
    const s = await createExamSession(db, newSession(learner.id, { minutes: 90 }), T0);
    expect(s).toMatchObject({
      examId: "mock-1",
      title: "Mock exam 1",
      seed: null,
      status: "running",
      startedAt: T0,
      endsAt: minutes(90),
      remainingMs: 90 * 60_000,
      isTimeUp: false,
      finishedAt: null,
      timedOut: false,
      gradings: 0,
    });
    expect(s.tasks).toEqual(TASKS.map((t, position) => ({ ...t, position, flagged: false })));
    const attempts = await db.attempt.findMany({ where: { examId: s.id }, orderBy: { scenarioId: "asc" } });
    expect(attempts.map((a) => [a.scenarioId, a.mode, a.learnerId])).toEqual([
      ["authz", "exam", learner.id],
      ["inj", "exam", learner.id],
    ]);
  });

  run("keeps a random exam's seed and refuses what cannot run", async () => {
    const learner = await ensureLearner(db, "seed-learner");
    const bad = async (extra: Partial<NewExamSession>) => {
      const e = await createExamSession(db, newSession(learner.id, extra), T0).catch((x) => x);
      expect(e, JSON.stringify(extra)).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe("invalid");
    };
    await bad({ tasks: [] });
    await bad({ tasks: [TASKS[0], TASKS[0]] });
    await bad({ minutes: 0 });
    await bad({ passPercent: 101 });
    await bad({ seed: 2 ** 31 });
    await bad({ seed: -1 });
    expect(await db.exam.count({ where: { learnerId: learner.id } })).toBe(0);
    const s = await createExamSession(db, newSession(learner.id, { examId: "random-7", seed: 2 ** 31 - 1 }), T0);
    expect((await readExamSession(db, learner.id, s.id)).seed).toBe(2 ** 31 - 1);
  });

  run("keeps the time left across a restart: a new client reads it from endsAt", async () => {
    const learner = await ensureLearner(db, "restart-learner");
    const started = await createExamSession(db, newSession(learner.id), T0);
    await flagExamTask(db, learner.id, started.id, 1, true);

    // the server restarts: a new client on the same database, 30 minutes later
    const after = createDb(url);
    try {
      const s = await readExamSession(after, learner.id, started.id, minutes(30));
      expect(s).toMatchObject({ status: "running", endsAt: minutes(120), remainingMs: 90 * 60_000, isTimeUp: false });
      expect(s.tasks.map((t) => t.flagged)).toEqual([false, true, false]);
      expect((await findRunningExam(after, learner.id, minutes(30)))?.id).toBe(started.id);
      // past the deadline, nothing is left and the time is up (the sitting waits for its finish)
      expect(await readExamSession(after, learner.id, started.id, minutes(125))).toMatchObject({
        status: "running",
        remainingMs: 0,
        isTimeUp: true,
      });
    } finally {
      await after.$disconnect();
    }
  });

  run("holds one running exam per learner", async () => {
    const learner = await ensureLearner(db, "one-running-learner");
    const other = await ensureLearner(db, "other-running-learner");
    const first = await createExamSession(db, newSession(learner.id), T0);
    await expect(createExamSession(db, newSession(learner.id, { examId: "mock-2" }), T0)).rejects.toThrow(
      "exam 'Mock exam 1' is running: finish it before starting another",
    );
    await createExamSession(db, newSession(other.id), T0);
    await recordExamGrading(db, learner.id, first.id, grading(minutes(60)));
    expect(await findRunningExam(db, learner.id)).toBeUndefined();
    const second = await createExamSession(db, newSession(learner.id, { examId: "mock-2" }), minutes(61));
    expect((await findRunningExam(db, learner.id))?.id).toBe(second.id);
  });

  run("flags tasks for review while the sitting runs, only then, and only its own", async () => {
    const learner = await ensureLearner(db, "flag-learner");
    const stranger = await ensureLearner(db, "flag-stranger");
    const s = await createExamSession(db, newSession(learner.id), T0);
    expect(await flagExamTask(db, learner.id, s.id, 2, true)).toEqual({ position: 2, flagged: true });
    expect(await flagExamTask(db, learner.id, s.id, 0, true)).toEqual({ position: 0, flagged: true });
    await flagExamTask(db, learner.id, s.id, 0, false);
    expect((await readExamSession(db, learner.id, s.id)).tasks.map((t) => t.flagged)).toEqual([false, false, true]);
    await expect(flagExamTask(db, learner.id, s.id, 3, true)).rejects.toMatchObject({ code: "not-found" });
    await expect(flagExamTask(db, stranger.id, s.id, 0, true)).rejects.toMatchObject({ code: "not-found" });
    await expect(readExamSession(db, stranger.id, s.id)).rejects.toMatchObject({ code: "not-found" });

    await recordExamGrading(db, learner.id, s.id, grading(minutes(10)));
    await expect(flagExamTask(db, learner.id, s.id, 0, true)).rejects.toMatchObject({ code: "invalid" });
    expect((await readExamResult(db, learner.id, s.id)).tasks.map((t) => t.flagged)).toEqual([false, false, true]);
  });

  run("finishes with every check's result and the scores in the store; no result before the end", async () => {
    const learner = await ensureLearner(db, "finish-learner");
    const s = await createExamSession(db, newSession(learner.id), T0);
    await expect(readExamResult(db, learner.id, s.id)).rejects.toMatchObject({ code: "invalid" });

    const result = await recordExamGrading(
      db,
      learner.id,
      s.id,
      grading(minutes(100), { "inj/enable": "pass", "authz/deny": "pass" }),
    );
    expect(result).toMatchObject({
      status: "graded",
      gradedAt: minutes(100),
      cluster: "lite",
      reason: null,
      errored: [],
      earned: 9,
      possible: 15,
      percent: 60,
      passed: false,
      session: { status: "graded", finishedAt: minutes(100), timedOut: false, gradings: 1, remainingMs: 0 },
    });
    expect(result.domains).toEqual({
      install: { earned: 4, possible: 10, percent: 40 },
      traffic: { earned: 0, possible: 0, percent: null },
      security: { earned: 5, possible: 5, percent: 100 },
      troubleshooting: { earned: 0, possible: 0, percent: null },
    });
    expect(result.tasks.map((t) => [t.task, t.earned, t.possible])).toEqual([
      ["enable", 4, 4],
      ["deploy", 0, 6],
      ["deny", 5, 5],
    ]);
    expect(result.tasks[1].checks).toEqual([
      {
        check: "check",
        status: "fail",
        message: "deploy fail",
        hint: "hint for deploy",
        evidence: [{ kind: "VirtualService", name: "deploy", namespace: "inj", field: "spec" }],
      },
    ]);
    // read again later, from a new client: the same
    const again = createDb(url);
    try {
      expect(await readExamResult(again, learner.id, s.id, minutes(500))).toEqual({
        ...result,
        session: { ...result.session, isTimeUp: true },
      });
    } finally {
      await again.$disconnect();
    }
    const attempts = await db.attempt.findMany({ where: { examId: s.id } });
    expect(attempts.every((a) => a.finishedAt?.getTime() === minutes(100).getTime())).toBe(true);
    // the exam's runs stay out of the practice panels (mode "learn" only)
    expect(await db.checkRun.count({ where: { attempt: { examId: s.id } } })).toBe(3);
  });

  run("a finish after the deadline is graded then, and records that time ran out", async () => {
    const learner = await ensureLearner(db, "timeout-learner");
    const s = await createExamSession(db, newSession(learner.id), T0);
    const result = await recordExamGrading(db, learner.id, s.id, grading(minutes(131), { "inj/deploy": "pass" }));
    expect(result).toMatchObject({
      status: "graded",
      earned: 6,
      percent: 40,
      session: { finishedAt: minutes(131), timedOut: true },
    });
  });

  run("a not-graded finish says why and which checks; grading again stores a grade", async () => {
    const learner = await ensureLearner(db, "regrade-learner");
    const s = await createExamSession(db, newSession(learner.id), T0);

    const down = await recordExamGrading(db, learner.id, s.id, grading(minutes(110), { "authz/deny": "error" }));
    expect(down).toMatchObject({
      status: "not-graded",
      reason: "1 checks errored",
      errored: [{ scenario: "authz", task: "deny", check: "check", message: "deny error" }],
      earned: null,
      possible: null,
      percent: null,
      passed: null,
      domains: null,
      session: { status: "not-graded", finishedAt: minutes(110), timedOut: false, gradings: 1 },
    });
    expect(down.tasks.map((t) => t.earned)).toEqual([null, null, null]);
    expect(await findRunningExam(db, learner.id)).toBeUndefined();
    expect(await db.attempt.count({ where: { examId: s.id, finishedAt: null } })).toBe(2);

    // the cluster is back after the deadline: the grade is taken; the finish stays the first one
    const up = await recordExamGrading(
      db,
      learner.id,
      s.id,
      grading(minutes(140), { "inj/enable": "pass", "inj/deploy": "pass" }),
    );
    expect(up).toMatchObject({
      status: "graded",
      reason: null,
      errored: [],
      gradedAt: minutes(140),
      earned: 10,
      passed: false,
      session: { status: "graded", finishedAt: minutes(110), timedOut: false, gradings: 2 },
    });
    expect(up.tasks[2].checks).toMatchObject([{ status: "fail" }]);
    // both gradings' runs are kept; the sitting's tasks point at the latest
    expect(await db.checkRun.count({ where: { attempt: { examId: s.id } } })).toBe(6);

    await expect(recordExamGrading(db, learner.id, s.id, grading(minutes(150)))).rejects.toMatchObject({
      code: "invalid",
      message: `exam '${s.id}' is already graded`,
    });
  });

  run("stores a grading all or nothing: a failure mid-write leaves the sitting as it was", async () => {
    const learner = await ensureLearner(db, "tx-exam-learner");
    const s = await createExamSession(db, newSession(learner.id), T0);
    const broken = grading(minutes(50), { "inj/enable": "pass" });
    // the last task's result has no message: NOT NULL fails after the other tasks were written
    const tasks = broken.tasks.map((t, i) =>
      i === broken.tasks.length - 1
        ? { ...t, results: t.results.map((r) => ({ ...r, message: null as unknown as string })) }
        : t,
    );
    await expect(recordExamGrading(db, learner.id, s.id, { ...broken, tasks })).rejects.toThrow();

    const after = await readExamSession(db, learner.id, s.id, minutes(50));
    expect(after).toMatchObject({ status: "running", finishedAt: null, gradings: 0, remainingMs: 70 * 60_000 });
    expect(await db.checkRun.count({ where: { attempt: { examId: s.id } } })).toBe(0);
    expect(await db.checkResult.count({ where: { checkRun: { attempt: { examId: s.id } } } })).toBe(0);
    const examTasks = await db.examTask.findMany({ where: { examId: s.id } });
    expect(examTasks.map((t) => [t.checkRunId, t.earned, t.possible])).toEqual([
      [null, null, null],
      [null, null, null],
      [null, null, null],
    ]);
    const row = await db.exam.findUniqueOrThrow({ where: { id: s.id } });
    expect([row.score, row.earned, row.passed, row.gradedAt]).toEqual([null, null, null, null]);

    // and the same grading, whole, goes in
    expect((await recordExamGrading(db, learner.id, s.id, broken)).earned).toBe(4);
  });

  run("refuses a grading that does not cover exactly the sitting's tasks, writing nothing", async () => {
    const learner = await ensureLearner(db, "cover-learner");
    const s = await createExamSession(db, newSession(learner.id), T0);
    const g = grading(minutes(5));
    const missing = { ...g, tasks: g.tasks.slice(1) };
    const extra = { ...g, tasks: [...g.tasks, { ...g.tasks[0], task: "other" }] };
    await expect(recordExamGrading(db, learner.id, s.id, missing)).rejects.toThrow("missing inj/enable");
    await expect(recordExamGrading(db, learner.id, s.id, extra)).rejects.toThrow("not in the exam: inj/other");
    expect((await readExamSession(db, learner.id, s.id)).status).toBe("running");
    expect(await db.checkRun.count({ where: { attempt: { examId: s.id } } })).toBe(0);
  });

  run("of two gradings at once, one is stored", async () => {
    const learner = await ensureLearner(db, "race-learner");
    const s = await createExamSession(db, newSession(learner.id), T0);
    const settled = await Promise.allSettled([
      recordExamGrading(db, learner.id, s.id, grading(minutes(20), { "inj/enable": "pass" })),
      recordExamGrading(db, learner.id, s.id, grading(minutes(20), { "authz/deny": "pass" })),
    ]);
    expect(settled.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    expect(await db.checkRun.count({ where: { attempt: { examId: s.id } } })).toBe(3);
    expect((await readExamResult(db, learner.id, s.id)).session.gradings).toBe(1);
  });

  run("lists the learner's finished sittings oldest first, for scores over time", async () => {
    const learner = await ensureLearner(db, "history-learner");
    const first = await createExamSession(db, newSession(learner.id), T0);
    await recordExamGrading(db, learner.id, first.id, grading(minutes(90), { "inj/deploy": "pass" }));
    const second = await createExamSession(
      db,
      newSession(learner.id, { examId: "mock-2", title: "Mock 2" }),
      minutes(200),
    );
    await recordExamGrading(db, learner.id, second.id, grading(minutes(250), { "authz/deny": "error" }));
    const third = await createExamSession(db, newSession(learner.id, { passPercent: 50 }), minutes(300));
    await recordExamGrading(
      db,
      learner.id,
      third.id,
      grading(minutes(350), { "inj/deploy": "pass", "authz/deny": "pass" }),
    );
    await createExamSession(db, newSession(learner.id), minutes(400)); // running: not listed

    const list = await listFinishedExams(db, learner.id);
    expect(list.map((e) => [e.id, e.status, e.percent, e.passed])).toEqual([
      [first.id, "graded", 40, false],
      [second.id, "not-graded", null, null],
      [third.id, "graded", (100 * 11) / 15, true],
    ]);
    expect(list[0]).toMatchObject({
      examId: "mock-1",
      title: "Mock exam 1",
      startedAt: T0,
      finishedAt: minutes(90),
      timedOut: false,
      passPercent: 68,
      earned: 6,
      possible: 15,
      domains: { install: { earned: 6, possible: 10, percent: 60 }, security: { earned: 0, possible: 5, percent: 0 } },
    });
    expect(list[1]).toMatchObject({ title: "Mock 2", domains: null, earned: null });
    expect(await listFinishedExams(db, (await ensureLearner(db, "nobody")).id)).toEqual([]);
  });
});

// Exam rows from before exam sessions (no code wrote them, but a test did) cannot be graded and
// must not hold the one-running-exam index: the migration marks them not graded.
describe.each(await testBackends("ica_exams_migrate"))("migrating exams made before sessions on $name", (backend) => {
  let url: string;
  beforeAll(async () => {
    if (backend.mode === "skip") return;
    url = await backend.setUp();
  });
  afterAll(async () => {
    if (backend.mode === "skip") return;
    await backend.tearDown();
  });

  it.runIf(backend.mode === "run")("marks old exam rows not graded and lets the learner start one", async () => {
    const dir = migrationsDir(url);
    const names = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const index = names.indexOf("20261215000000_exam_sessions");
    expect(index).toBeGreaterThan(0);
    const before = names.slice(0, index);
    const statements = [
      ...before.map((name) => readFileSync(path.join(dir, name, "migration.sql"), "utf8")),
      `CREATE TABLE "_ica_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)`,
      ...before.map((name) => `INSERT INTO "_ica_migrations" VALUES ('${name}', '2026-12-01T00:00:00.000Z')`),
      `INSERT INTO "Learner" ("id", "name") VALUES ('l1', 'local')`,
      `INSERT INTO "Exam" ("id", "learnerId", "examId", "endsAt") VALUES
       ('e1', 'l1', 'mock', '2026-12-01 02:00:00'), ('e2', 'l1', 'mock', '2026-12-01 03:00:00')`,
      `INSERT INTO "Attempt" ("id", "learnerId", "scenarioId", "mode", "examId") VALUES ('x1', 'l1', 's', 'exam', 'e1')`,
    ];
    if (backend.name === "SQLite") {
      const sqlite = new Database(url.replace(/^file:/, ""));
      for (const sql of statements) sqlite.exec(sql);
      sqlite.close();
    } else {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const sql of statements) await client.query(sql);
      await client.end();
    }

    expect((await migrateDatabase(url)).applied).toEqual(names.slice(index));
    const db = createDb(url);
    try {
      const rows = await db.exam.findMany({
        orderBy: { id: "asc" },
        select: { id: true, status: true, gradeReason: true },
      });
      expect(rows).toEqual([
        { id: "e1", status: "not-graded", gradeReason: "stored before exam sessions: it has no tasks to grade" },
        { id: "e2", status: "not-graded", gradeReason: "stored before exam sessions: it has no tasks to grade" },
      ]);
      expect(await db.attempt.count({ where: { examId: "e1" } })).toBe(1); // nothing cascaded away
      expect(await listFinishedExams(db, "l1")).toHaveLength(2);
      const s = await createExamSession(db, newSession("l1"), T0);
      expect((await findRunningExam(db, "l1"))?.id).toBe(s.id);
    } finally {
      await db.$disconnect();
    }
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishAttempt, recordReset, startAttempt } from "./attempts";
import { evidenceFromJson, evidenceToJson, latestTaskProgress, recordCheckRun } from "./check-runs";
import { createDb, type Db } from "./db";
import { ensureLearner } from "./learners";
import { migrateDatabase, migrationsDir } from "./migrate";
import { scenarioStatuses } from "./scenario-status";

const PG_ADMIN_URL = process.env.ICA_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

// CI must prove PostgreSQL; a laptop without it skips with the reason in the test name.
const pgUp = await postgresReachable();
const pgMode = pgUp || process.env.CI === "true" ? "run" : "skip";

interface Backend {
  name: string;
  setUp(): Promise<string>;
  tearDown(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir = "";
  return {
    name: "SQLite",
    async setUp() {
      dir = mkdtempSync(path.join(tmpdir(), "ica-progress-"));
      return `file:${path.join(dir, "test.db")}`;
    },
    async tearDown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  const dbName = `ica_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = () => new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  return {
    name: pgMode === "run" ? "PostgreSQL" : `PostgreSQL (skipped: nothing listens at ${PG_ADMIN_URL})`,
    async setUp() {
      const c = admin();
      await c.connect();
      await c.query(`CREATE DATABASE "${dbName}"`);
      await c.end();
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${dbName}`;
      return url.toString();
    },
    async tearDown() {
      const c = admin();
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await c.end();
    },
  };
}

// Each describe gets its own databases.
const backends = (): { backend: Backend; mode: "run" | "skip" }[] => [
  { backend: sqliteBackend(), mode: "run" },
  { backend: postgresBackend(), mode: pgMode },
];

describe.each(backends())("progress store on $backend.name", ({ backend, mode }) => {
  let db: Db;
  let url: string;

  beforeAll(async () => {
    if (mode === "skip") return;
    url = await backend.setUp();
    await migrateDatabase(url);
    db = createDb(url);
  });
  afterAll(async () => {
    if (mode === "skip") return;
    await db?.$disconnect();
    await backend.tearDown();
  });

  it.runIf(mode === "run")("migrates once: a second run applies nothing", async () => {
    const again = await migrateDatabase(url);
    expect(again.applied).toEqual([]);
  });

  it.runIf(mode === "run")("keeps one open attempt per scenario and counts resets", async () => {
    const learner = await ensureLearner(db);
    expect((await ensureLearner(db)).id).toBe(learner.id);
    const a = await startAttempt(db, learner.id, "traffic-mirroring");
    const b = await startAttempt(db, learner.id, "traffic-mirroring");
    expect(b.id).toBe(a.id);
    expect((await recordReset(db, a.id)).resets).toBe(1);
  });

  it.runIf(mode === "run")("records check runs and derives task and scenario status", async () => {
    const learner = await ensureLearner(db, "status-learner");
    const attempt = await startAttempt(db, learner.id, "traffic-mirroring");
    await recordCheckRun(db, {
      attemptId: attempt.id,
      taskId: "mirror",
      cluster: "lite",
      results: [{ id: "mirror/virtualservice.mirror", status: "fail", message: "no mirror", durationMs: 3.4 }],
    });
    await new Promise((r) => setTimeout(r, 5));
    await recordCheckRun(db, {
      attemptId: attempt.id,
      taskId: "mirror",
      cluster: "lite",
      results: [{ id: "mirror/virtualservice.mirror", status: "pass", message: "mirrors 50% to v2", durationMs: 2 }],
    });
    await recordCheckRun(db, {
      attemptId: attempt.id,
      taskId: "subsets",
      cluster: "lite",
      results: [
        { id: "subsets/destinationrule.subsets", status: "error", message: "cluster unreachable", durationMs: 5000 },
      ],
    });
    const tasks = await latestTaskProgress(db, learner.id, "traffic-mirroring");
    expect(Object.fromEntries(tasks.map((t) => [t.taskId, t.state]))).toEqual({ mirror: "passed", subsets: "error" });

    const statuses = await scenarioStatuses(db, learner.id, { "traffic-mirroring": 2 });
    expect(statuses["traffic-mirroring"]).toMatchObject({ state: "started", tasksPassed: 1 });
  });

  it.runIf(mode === "run")("stores each result's hint and evidence and reads them back in order", async () => {
    const learner = await ensureLearner(db, "evidence-learner");
    const attempt = await startAttempt(db, learner.id, "traffic-mirroring");
    const evidence = [
      {
        kind: "VirtualService",
        name: "helloworld",
        namespace: "mirror-lab",
        field: "spec.http[0].mirror",
        value: { host: "helloworld", subset: "v1" },
      },
      { kind: "DestinationRule", name: "helloworld", value: [1, "two", null, true] },
      { kind: "Namespace", name: "mirror-lab", field: "metadata.labels", value: "istio-injection=enabled" },
    ];
    await recordCheckRun(db, {
      attemptId: attempt.id,
      taskId: "mirror",
      cluster: "lite",
      results: [
        { id: "mirror/a", status: "fail", message: "mirrors to v1", hint: "mirror to v2", evidence, durationMs: 1 },
        { id: "mirror/b", status: "pass", message: "v1 takes 100%", evidence: [], durationMs: 1 },
        { id: "mirror/c", status: "skipped", message: "needs a data plane", durationMs: 0 },
        { id: "mirror/d", status: "error", message: "unreachable", hint: undefined, evidence: [], durationMs: 0 },
      ],
    });
    const [task] = await latestTaskProgress(db, learner.id, "traffic-mirroring");
    expect(task).toMatchObject({ taskId: "mirror", state: "error", cluster: "lite" });
    expect(task.results).toStrictEqual([
      { checkId: "mirror/a", status: "fail", message: "mirrors to v1", hint: "mirror to v2", evidence },
      { checkId: "mirror/b", status: "pass", message: "v1 takes 100%", evidence: [] },
      { checkId: "mirror/c", status: "skipped", message: "needs a data plane", evidence: [] },
      { checkId: "mirror/d", status: "error", message: "unreachable", evidence: [] },
    ]);
  });

  it.runIf(mode === "run")("reads evidence it cannot parse as none", async () => {
    const learner = await ensureLearner(db, "bad-evidence-learner");
    const attempt = await startAttempt(db, learner.id, "analyze-short-host");
    const { id } = await recordCheckRun(db, {
      attemptId: attempt.id,
      taskId: "fix-hosts",
      cluster: "lite",
      results: [{ id: "fix-hosts/x", status: "fail", message: "no", hint: "try", durationMs: 1 }],
    });
    for (const bad of ["{not json", '{"kind":"VirtualService","name":"x"}', "null", ""]) {
      await db.checkResult.updateMany({ where: { checkRunId: id }, data: { evidence: bad } });
      const [task] = await latestTaskProgress(db, learner.id, "analyze-short-host");
      expect(task.results, bad).toStrictEqual([
        { checkId: "fix-hosts/x", status: "fail", message: "no", hint: "try", evidence: [] },
      ]);
    }
  });

  it.runIf(mode === "run")("a reset starts over: checks before it no longer count", async () => {
    const learner = await ensureLearner(db, "reset-learner");
    const attempt = await startAttempt(db, learner.id, "traffic-mirroring");
    const pass = (taskId: string) =>
      recordCheckRun(db, {
        attemptId: attempt.id,
        taskId,
        cluster: "lite",
        results: [{ id: `${taskId}/x`, status: "pass", message: "ok", durationMs: 1 }],
      });
    await pass("mirror");
    await pass("subsets");
    expect(await scenarioStatuses(db, learner.id, { "traffic-mirroring": 2 })).toMatchObject({
      "traffic-mirroring": { state: "passed", tasksPassed: 2 },
    });
    await new Promise((r) => setTimeout(r, 5));
    const reset = await recordReset(db, attempt.id);
    expect(reset.id).toBe(attempt.id);
    expect(await latestTaskProgress(db, learner.id, "traffic-mirroring")).toEqual([]);
    const afterReset = (await scenarioStatuses(db, learner.id, { "traffic-mirroring": 2 }))["traffic-mirroring"];
    expect(afterReset).toMatchObject({ state: "started", tasksPassed: 0 });
    expect(afterReset.lastActivity.getTime()).toBeGreaterThanOrEqual(reset.resetAt?.getTime() ?? Number.NaN);

    // A Check after the reset counts again.
    await new Promise((r) => setTimeout(r, 5));
    await pass("mirror");
    const tasks = await latestTaskProgress(db, learner.id, "traffic-mirroring");
    expect(tasks.map((t) => [t.taskId, t.state])).toEqual([["mirror", "passed"]]);
    expect(await scenarioStatuses(db, learner.id, { "traffic-mirroring": 2 })).toMatchObject({
      "traffic-mirroring": { state: "started", tasksPassed: 1 },
    });
  });

  it.runIf(mode === "run")(
    "50 concurrent first Checks of a new learner: no error, 50 runs, one open learn attempt",
    { timeout: 60_000 },
    async () => {
      // What checkTask does after grading, 50 times at once for a learner and scenario never seen.
      const firstCheck = async (n: number) => {
        const learner = await ensureLearner(db, "burst-learner");
        const attempt = await startAttempt(db, learner.id, "traffic-mirroring");
        return recordCheckRun(db, {
          attemptId: attempt.id,
          taskId: "mirror",
          cluster: "lite",
          results: [{ id: `mirror/x${n}`, status: "pass", message: "ok", durationMs: 1 }],
        });
      };
      const settled = await Promise.allSettled(Array.from({ length: 50 }, (_, n) => firstCheck(n)));
      const failures = settled.flatMap((s) => (s.status === "rejected" ? [String(s.reason).slice(0, 200)] : []));
      expect(failures).toEqual([]);
      const learners = await db.learner.findMany({ where: { name: "burst-learner" } });
      expect(learners).toHaveLength(1);
      const attempts = await db.attempt.findMany({
        where: { learnerId: learners[0].id, scenarioId: "traffic-mirroring", mode: "learn", finishedAt: null },
      });
      expect(attempts).toHaveLength(1);
      expect(await db.checkRun.count({ where: { attemptId: attempts[0].id } })).toBe(50);
    },
  );

  it.runIf(mode === "run")("the database refuses a second open learn attempt, not a finished or exam one", async () => {
    const learner = await ensureLearner(db, "index-learner");
    const open = await startAttempt(db, learner.id, "traffic-mirroring");
    await expect(
      db.attempt.create({ data: { learnerId: learner.id, scenarioId: "traffic-mirroring" } }),
    ).rejects.toThrow();
    const exam = await db.exam.create({ data: { learnerId: learner.id, examId: "mock", endsAt: new Date() } });
    await db.attempt.create({
      data: { learnerId: learner.id, scenarioId: "traffic-mirroring", mode: "exam", examId: exam.id },
    });
    await finishAttempt(db, open.id);
    const next = await startAttempt(db, learner.id, "traffic-mirroring");
    expect(next.id).not.toBe(open.id);
  });

  it.runIf(mode === "run")("writes a check run all or nothing", async () => {
    const learner = await ensureLearner(db, "tx-learner");
    const attempt = await startAttempt(db, learner.id, "analyze-short-host");
    const bad = recordCheckRun(db, {
      attemptId: attempt.id,
      taskId: "fix-hosts",
      cluster: "lite",
      // A null message violates NOT NULL on the second row: the whole run must roll back.
      results: [
        { id: "a", status: "pass", message: "ok", durationMs: 1 },
        { id: "b", status: "pass", message: null as unknown as string, durationMs: 1 },
      ],
    });
    await expect(bad).rejects.toThrow();
    expect(await db.checkRun.count({ where: { attemptId: attempt.id } })).toBe(0);
    expect(await db.checkResult.count({ where: { checkId: "a" } })).toBe(0);
  });
});

// A database made before a migration gets it at the next start, and its old rows still read.
describe.each(backends())("migrating an existing database on $backend.name", ({ backend, mode }) => {
  let url: string;

  beforeAll(async () => {
    if (mode === "skip") return;
    url = await backend.setUp();
  });
  afterAll(async () => {
    if (mode === "skip") return;
    await backend.tearDown();
  });

  it.runIf(mode === "run")("adds hint and evidence; results stored before read with none", async () => {
    const dir = migrationsDir(url);
    const [first, ...later] = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(later).toContain("20261202160000_check_result_hint_evidence");
    // The database as the first migration left it, with one Check stored.
    const statements = [
      readFileSync(path.join(dir, first, "migration.sql"), "utf8"),
      `CREATE TABLE "_ica_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)`,
      `INSERT INTO "_ica_migrations" VALUES ('${first}', '2026-11-23T00:00:00.000Z')`,
      `INSERT INTO "Learner" ("id", "name") VALUES ('l1', 'old-learner')`,
      `INSERT INTO "Attempt" ("id", "learnerId", "scenarioId") VALUES ('a1', 'l1', 'traffic-mirroring')`,
      `INSERT INTO "CheckRun" ("id", "attemptId", "taskId", "cluster") VALUES ('r1', 'a1', 'mirror', 'lite')`,
      `INSERT INTO "CheckResult" ("id", "checkRunId", "checkId", "status", "message", "durationMs")
         VALUES ('c1', 'r1', 'mirror/virtualservice.mirror', 'fail', 'no mirror', 3)`,
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

    expect((await migrateDatabase(url)).applied).toEqual(later);
    const db = createDb(url);
    try {
      const [task] = await latestTaskProgress(db, "l1", "traffic-mirroring");
      expect(task.results).toStrictEqual([
        { checkId: "mirror/virtualservice.mirror", status: "fail", message: "no mirror", evidence: [] },
      ]);
    } finally {
      await db.$disconnect();
    }
  });
});

// Before the unique index, concurrent first Checks could open several attempts at one scenario.
describe.each(backends())("merging duplicate open attempts on $backend.name", ({ backend, mode }) => {
  let url: string;

  beforeAll(async () => {
    if (mode === "skip") return;
    url = await backend.setUp();
  });
  afterAll(async () => {
    if (mode === "skip") return;
    await backend.tearDown();
  });

  it.runIf(mode === "run")(
    "keeps the newest open learn attempt with every run; finished and exam ones stay",
    async () => {
      const dir = migrationsDir(url);
      const names = readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
      const index = names.indexOf("20261202170000_one_open_learn_attempt");
      expect(index).toBeGreaterThan(0);
      const before = names.slice(0, index);
      const statements = [
        ...before.map((name) => readFileSync(path.join(dir, name, "migration.sql"), "utf8")),
        `CREATE TABLE "_ica_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)`,
        ...before.map((name) => `INSERT INTO "_ica_migrations" VALUES ('${name}', '2026-12-01T00:00:00.000Z')`),
        `INSERT INTO "Learner" ("id", "name") VALUES ('l1', 'local')`,
        `INSERT INTO "Exam" ("id", "learnerId", "examId", "endsAt") VALUES ('e1', 'l1', 'mock', '2026-12-01 02:00:00')`,
        `INSERT INTO "Attempt" ("id", "learnerId", "scenarioId", "startedAt") VALUES
         ('a1', 'l1', 's', '2026-12-01 00:00:01'), ('a2', 'l1', 's', '2026-12-01 00:00:03'),
         ('a3', 'l1', 's', '2026-12-01 00:00:02'), ('a4', 'l1', 'other', '2026-12-01 00:00:01')`,
        `INSERT INTO "Attempt" ("id", "learnerId", "scenarioId", "startedAt", "finishedAt") VALUES
         ('f1', 'l1', 's', '2026-11-30 00:00:00', '2026-11-30 01:00:00')`,
        `INSERT INTO "Attempt" ("id", "learnerId", "scenarioId", "mode", "examId") VALUES ('x1', 'l1', 's', 'exam', 'e1')`,
        `INSERT INTO "CheckRun" ("id", "attemptId", "taskId", "cluster") VALUES
         ('r1', 'a1', 't', 'lite'), ('r2', 'a2', 't', 'lite'), ('r3', 'a3', 't', 'lite'),
         ('r4', 'a4', 't', 'lite'), ('r5', 'f1', 't', 'lite'), ('r6', 'x1', 't', 'lite')`,
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
        const attempts = await db.attempt.findMany({ select: { id: true }, orderBy: { id: "asc" } });
        expect(attempts.map((a) => a.id)).toEqual(["a2", "a4", "f1", "x1"]);
        const runs = await db.checkRun.findMany({ select: { id: true, attemptId: true }, orderBy: { id: "asc" } });
        expect(runs.map((r) => `${r.id}:${r.attemptId}`)).toEqual([
          "r1:a2",
          "r2:a2",
          "r3:a2",
          "r4:a4",
          "r5:f1",
          "r6:x1",
        ]);
        expect((await startAttempt(db, "l1", "s")).id).toBe("a2");
      } finally {
        await db.$disconnect();
      }
    },
  );
});

describe("evidence as JSON text", () => {
  it("round-trips a list and stores none as null", () => {
    const evidence = [{ kind: "Gateway", name: "gw", namespace: "x", field: "spec.servers", value: [{ port: 80 }] }];
    expect(evidenceFromJson(evidenceToJson(evidence))).toStrictEqual(evidence);
    expect(evidenceToJson([])).toBeNull();
    expect(evidenceToJson(undefined)).toBeNull();
  });

  it("stores evidence JSON cannot hold as null instead of failing the run", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(evidenceToJson([{ kind: "X", name: "x", value: cyclic }])).toBeNull();
    expect(evidenceToJson([{ kind: "X", name: "x", value: 1n }])).toBeNull();
  });

  it("reads null, bad JSON and anything but a list of evidence as []", () => {
    for (const text of [null, undefined, "", "nope", "{}", '"x"', "42", "null"]) {
      expect(evidenceFromJson(text), String(text)).toEqual([]);
    }
    expect(evidenceFromJson('[1, null, "x", {"kind": "A"}, {"kind": "A", "name": "a"}]')).toEqual([
      { kind: "A", name: "a" },
    ]);
  });
});

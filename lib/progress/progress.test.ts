import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordReset, startAttempt } from "./attempts";
import { latestTaskProgress, recordCheckRun } from "./check-runs";
import { createDb, type Db } from "./db";
import { ensureLearner } from "./learners";
import { migrateDatabase } from "./migrate";
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
  const dbName = `ica_test_${process.pid}_${Date.now()}`;
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

const backends: [Backend, "run" | "skip"][] = [
  [sqliteBackend(), "run"],
  [postgresBackend(), pgMode],
];

describe.each(backends)("progress store on $0.name", (backend, mode) => {
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

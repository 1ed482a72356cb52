// For tests: a fresh, migrated database on each backend, SQLite always and PostgreSQL when one
// listens at ICA_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432); CI must prove PostgreSQL, so
// there it runs whether or not it answers. (lib/progress/progress.test.ts sets up the same way.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export const PG_ADMIN_URL = process.env.ICA_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestBackend {
  name: string;
  mode: "run" | "skip";
  /** a new empty database's URL */
  setUp(): Promise<string>;
  tearDown(): Promise<void>;
}

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

/** SQLite and PostgreSQL, each with its own database; call once per describe. */
export async function testBackends(prefix: string): Promise<TestBackend[]> {
  const pgMode = (await postgresReachable()) || process.env.CI === "true" ? "run" : "skip";
  let dir = "";
  const dbName = `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = () => new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  return [
    {
      name: "SQLite",
      mode: "run",
      async setUp() {
        dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
        return `file:${path.join(dir, "test.db")}`;
      },
      async tearDown() {
        rmSync(dir, { recursive: true, force: true });
      },
    },
    {
      name: pgMode === "run" ? "PostgreSQL" : `PostgreSQL (skipped: nothing listens at ${PG_ADMIN_URL})`,
      mode: pgMode,
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
    },
  ];
}

// Applies the committed Prisma migrations (prisma/migrations for SQLite, prisma/postgres/migrations
// for PostgreSQL) in order, each in a transaction, recording them in _ica_migrations.
// Prisma's own `migrate deploy` fails on PostgreSQL through its wasm engine here, so we run the SQL.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { REPO_ROOT } from "../paths";
import { databaseUrl, isPostgresUrl, sqliteFilePath } from "./database-url";

export interface MigrationReport {
  applied: string[];
  pending: number;
}

const TABLE = `CREATE TABLE IF NOT EXISTS "_ica_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)`;

export function migrationsDir(url: string): string {
  return path.join(REPO_ROOT, isPostgresUrl(url) ? "prisma/postgres/migrations" : "prisma/migrations");
}

function listMigrations(dir: string): { name: string; sql: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

export async function migrateDatabase(url: string = databaseUrl()): Promise<MigrationReport> {
  const migrations = listMigrations(migrationsDir(url));
  return isPostgresUrl(url) ? migratePostgres(url, migrations) : migrateSqlite(url, migrations);
}

function migrateSqlite(url: string, migrations: { name: string; sql: string }[]): MigrationReport {
  const file = sqliteFilePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.exec(TABLE);
    const done = new Set(
      db
        .prepare(`SELECT "name" FROM "_ica_migrations"`)
        .all()
        .map((r) => (r as { name: string }).name),
    );
    const applied: string[] = [];
    for (const m of migrations.filter((m) => !done.has(m.name))) {
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare(`INSERT INTO "_ica_migrations" VALUES (?, ?)`).run(m.name, new Date().toISOString());
      }).immediate();
      applied.push(m.name);
    }
    return { applied, pending: 0 };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: { name: string; sql: string }[]): Promise<MigrationReport> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    // One migrator at a time, even with several app servers starting together.
    await client.query("SELECT pg_advisory_lock(4242001)");
    await client.query(TABLE);
    const done = new Set(
      (await client.query(`SELECT "name" FROM "_ica_migrations"`)).rows.map((r) => r.name as string),
    );
    const applied: string[] = [];
    for (const m of migrations.filter((m) => !done.has(m.name))) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO "_ica_migrations" VALUES ($1, $2)`, [m.name, new Date().toISOString()]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      applied.push(m.name);
    }
    return { applied, pending: 0 };
  } finally {
    await client.query("SELECT pg_advisory_unlock(4242001)").catch(() => {});
    await client.end();
  }
}

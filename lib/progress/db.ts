// The one Prisma client of the process, on the SQLite file or PostgreSQL (by DATABASE_URL).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "../generated/prisma-pg/client";
import { databaseUrl, isPostgresUrl, sqliteFilePath } from "./database-url";

/** Both generated clients have the same models; the SQLite one's type stands for both. */
export type Db = PrismaClient;

export function createDb(url: string = databaseUrl()): Db {
  if (isPostgresUrl(url)) {
    return new PgPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqliteFilePath(url) }) });
}

const cache = globalThis as unknown as { icaDb?: Db };

export function getDb(): Db {
  cache.icaDb ??= createDb();
  return cache.icaDb;
}

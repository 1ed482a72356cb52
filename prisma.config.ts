import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { databaseUrl, isPostgresUrl, sqliteFilePath } from "./lib/progress/database-url";

// Driver adapters and the JS engine: Prisma's CLI then needs no native engine download.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  // Each provider has its own schema copy and migrations folder (prisma/postgres/).
  schema: isPostgresUrl(databaseUrl()) ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  async adapter() {
    const url = databaseUrl();
    return isPostgresUrl(url)
      ? new PrismaPg({ connectionString: url })
      : new PrismaBetterSQLite3({ url: sqliteFilePath(url) });
  },
});

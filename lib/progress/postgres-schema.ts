/** The PostgreSQL twin of the SQLite schema (kept in sync by scripts/db-schemas.ts and a test). */
export function postgresSchemaFrom(sqliteSchema: string): string {
  return [
    "// GENERATED from prisma/schema.prisma by scripts/db-schemas.ts; edit that file instead.",
    sqliteSchema
      .replace('output          = "../lib/generated/prisma"', 'output          = "../../lib/generated/prisma-pg"')
      .replace('provider = "sqlite"', 'provider = "postgresql"')
      .replace('url      = "file:./unused.db"', 'url      = "postgresql://unused"'),
  ].join("\n");
}

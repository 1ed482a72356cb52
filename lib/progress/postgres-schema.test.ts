import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../paths";
import { postgresSchemaFrom } from "./postgres-schema";

it("prisma/postgres/schema.prisma is the SQLite schema with the postgresql provider", () => {
  const sqlite = readFileSync(`${REPO_ROOT}/prisma/schema.prisma`, "utf8");
  const postgres = readFileSync(`${REPO_ROOT}/prisma/postgres/schema.prisma`, "utf8");
  expect(postgres, "run: npx tsx scripts/db-schemas.ts").toBe(postgresSchemaFrom(sqlite));
});

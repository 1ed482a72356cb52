// Writes prisma/postgres/schema.prisma from prisma/schema.prisma: the same models, the
// postgresql provider and its own generated client. Run after editing the SQLite schema.
import { readFileSync, writeFileSync } from "node:fs";
import { postgresSchemaFrom } from "../lib/progress/postgres-schema";

const sqlite = readFileSync("prisma/schema.prisma", "utf8");
writeFileSync("prisma/postgres/schema.prisma", postgresSchemaFrom(sqlite));
console.log("wrote prisma/postgres/schema.prisma");

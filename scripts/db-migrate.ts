// npm run db:migrate: applies pending migrations to DATABASE_URL (SQLite by default).
// The server does the same at start; this is for hosts that migrate before they deploy.
import { databaseUrl, isPostgresUrl } from "../lib/progress/database-url";
import { migrateDatabase } from "../lib/progress/migrate";

const url = databaseUrl();
migrateDatabase(url).then(
  (report) => {
    const target = isPostgresUrl(url) ? "PostgreSQL" : url;
    if (report.applied.length === 0) console.log(`${target}: up to date`);
    for (const name of report.applied) console.log(`${target}: applied ${name}`);
  },
  (error: unknown) => {
    console.error(`migration failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);

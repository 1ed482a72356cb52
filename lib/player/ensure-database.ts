import { migrateDatabase } from "../progress/migrate";

let migrated: Promise<unknown> | undefined;

/** Applies pending migrations once per process (the server also does it at start). */
export function ensureDatabase(): Promise<unknown> {
  migrated ??= migrateDatabase().catch((e) => {
    migrated = undefined;
    throw e;
  });
  return migrated;
}

import path from "node:path";

/** DATABASE_URL, or the embedded default: a SQLite file under data/. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || `file:${path.resolve("data/ica-practice.db")}`;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** "file:./x.db" or "file:/abs/x.db" → an absolute path (relative to the working directory). */
export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, ""));
}

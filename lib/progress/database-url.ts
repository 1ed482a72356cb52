import path from "node:path";
import { type EnvSource, readEnv } from "../env";

/** DATABASE_URL, or the embedded default: a SQLite file under data/. */
export function databaseUrl(env: EnvSource = process.env): string {
  return readEnv(env).DATABASE_URL ?? `file:${path.resolve("data/ica-practice.db")}`;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** "file:./x.db" or "file:/abs/x.db" → an absolute path (relative to the working directory). */
export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, ""));
}

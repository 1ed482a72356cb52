import type { Db } from "./db";

export const DEFAULT_LEARNER = "local";

/** The learner of single-user mode, created on first use. */
export async function ensureLearner(db: Db, name: string = DEFAULT_LEARNER): Promise<{ id: string; name: string }> {
  return db.learner.upsert({ where: { name }, update: {}, create: { name }, select: { id: true, name: true } });
}

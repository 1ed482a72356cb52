import type { Db } from "./db";
import { isUniqueViolation } from "./unique-violation";

export const DEFAULT_LEARNER = "local";

/**
 * The learner of single-user mode, created on first use. Prisma's upsert reads, then creates:
 * two first requests at once both create, and the later one meets the unique name, so it reads
 * the row the other made.
 */
export async function ensureLearner(db: Db, name: string = DEFAULT_LEARNER): Promise<{ id: string; name: string }> {
  const select = { id: true, name: true } as const;
  try {
    return await db.learner.upsert({ where: { name }, update: {}, create: { name }, select });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return db.learner.findUniqueOrThrow({ where: { name }, select });
  }
}

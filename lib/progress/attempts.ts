import type { Db } from "./db";
import { isUniqueViolation } from "./unique-violation";

export interface AttemptRef {
  id: string;
  scenarioId: string;
  startedAt: Date;
  resets: number;
  /** when the latest reset ended; a reset starts over, so only later checks count */
  resetAt: Date | null;
  finishedAt: Date | null;
}

const SELECT = {
  id: true,
  scenarioId: true,
  startedAt: true,
  resets: true,
  resetAt: true,
  finishedAt: true,
} as const;

/** The one open practice attempt: a unique index holds it (prisma/migrations/*_one_open_learn_attempt). */
function openLearnAttempt(learnerId: string, scenarioId: string) {
  return { learnerId, scenarioId, mode: "learn", examId: null, finishedAt: null };
}

/**
 * The learner's open learn-mode attempt at a scenario, started if there is none. Two first
 * Checks at once both find none and create; the database keeps one, and the other reads it.
 */
export async function startAttempt(db: Db, learnerId: string, scenarioId: string): Promise<AttemptRef> {
  const where = openLearnAttempt(learnerId, scenarioId);
  const open = await db.attempt.findFirst({ where, select: SELECT });
  if (open) return open;
  try {
    return await db.attempt.create({ data: { learnerId, scenarioId, mode: "learn" }, select: SELECT });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return db.attempt.findFirstOrThrow({ where, select: SELECT });
  }
}

/** Counts a reset; Checks from before it no longer count towards the attempt's progress. */
export async function recordReset(db: Db, attemptId: string): Promise<AttemptRef> {
  return db.attempt.update({
    where: { id: attemptId },
    data: { resets: { increment: 1 }, resetAt: new Date() },
    select: SELECT,
  });
}

export async function finishAttempt(db: Db, attemptId: string): Promise<AttemptRef> {
  return db.attempt.update({ where: { id: attemptId }, data: { finishedAt: new Date() }, select: SELECT });
}

import type { Db } from "./db";

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

/** The learner's open learn-mode attempt at a scenario, started if there is none. */
export async function startAttempt(db: Db, learnerId: string, scenarioId: string): Promise<AttemptRef> {
  return db.$transaction(async (tx) => {
    const open = await tx.attempt.findFirst({
      where: { learnerId, scenarioId, mode: "learn", finishedAt: null },
      orderBy: { startedAt: "desc" },
      select: SELECT,
    });
    return open ?? tx.attempt.create({ data: { learnerId, scenarioId }, select: SELECT });
  });
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

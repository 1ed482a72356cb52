import type { CheckStatus } from "../verify/types";
import type { Db } from "./db";
import { type TaskState, taskStateOf } from "./task-state";

export interface CheckRunInput {
  attemptId: string;
  taskId: string;
  /** which cluster the checks read ("files" when graded from manifests) */
  cluster: string;
  results: { id: string; status: CheckStatus; message: string; durationMs: number }[];
}

/** Stores one Check press with all its results, or nothing at all. */
export async function recordCheckRun(db: Db, run: CheckRunInput): Promise<{ id: string }> {
  return db.checkRun.create({
    data: {
      attemptId: run.attemptId,
      taskId: run.taskId,
      cluster: run.cluster,
      results: {
        create: run.results.map((r) => ({
          checkId: r.id,
          status: r.status,
          message: r.message,
          durationMs: Math.round(r.durationMs),
        })),
      },
    },
    select: { id: true },
  });
}

export interface TaskProgress {
  taskId: string;
  state: TaskState;
  checkedAt: Date;
  results: { checkId: string; status: string; message: string }[];
}

/** The latest Check of each task of the learner's newest attempt at a scenario, since its last reset. */
export async function latestTaskProgress(db: Db, learnerId: string, scenarioId: string): Promise<TaskProgress[]> {
  const attempt = await db.attempt.findFirst({
    where: { learnerId, scenarioId, mode: "learn" },
    orderBy: { startedAt: "desc" },
    select: { id: true, resetAt: true },
  });
  if (!attempt) return [];
  const runs = await db.checkRun.findMany({
    // a reset starts over: what was checked before it is gone from the cluster
    where: { attemptId: attempt.id, ...(attempt.resetAt ? { createdAt: { gt: attempt.resetAt } } : {}) },
    orderBy: { createdAt: "desc" },
    select: { taskId: true, createdAt: true, results: { select: { checkId: true, status: true, message: true } } },
  });
  const latest = new Map<string, TaskProgress>();
  for (const run of runs) {
    if (latest.has(run.taskId)) continue;
    latest.set(run.taskId, {
      taskId: run.taskId,
      state: taskStateOf(run.results),
      checkedAt: run.createdAt,
      results: run.results,
    });
  }
  return [...latest.values()];
}

import type { CheckStatus, Evidence } from "../verify/types";
import type { Db } from "./db";
import { type TaskState, taskStateOf } from "./task-state";

export interface CheckRunInput {
  attemptId: string;
  taskId: string;
  /** which cluster the checks read ("files" when graded from manifests) */
  cluster: string;
  results: {
    id: string;
    status: CheckStatus;
    message: string;
    hint?: string;
    evidence?: readonly Evidence[];
    durationMs: number;
  }[];
}

/**
 * Stores one Check press with all its results (hint and evidence too), or nothing at all. `db` may
 * be a transaction's client, so a larger write (an exam's grading) can hold several runs.
 */
export async function recordCheckRun(db: Pick<Db, "checkRun">, run: CheckRunInput): Promise<{ id: string }> {
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
          hint: r.hint ?? null,
          evidence: evidenceToJson(r.evidence),
          durationMs: Math.round(r.durationMs),
        })),
      },
    },
    select: { id: true },
  });
}

export interface StoredCheckResult {
  checkId: string;
  status: string;
  message: string;
  hint?: string;
  evidence: Evidence[];
}

export interface TaskProgress {
  taskId: string;
  state: TaskState;
  /** the cluster the Check read */
  cluster: string;
  checkedAt: Date;
  results: StoredCheckResult[];
  /** how often the task was checked since the last reset */
  checks: number;
  /** the latest state that says something about the answer: an `error` never lowers it */
  reached?: Exclude<TaskState, "error">;
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
    select: {
      taskId: true,
      cluster: true,
      createdAt: true,
      // in the order the engine reported them (cuids grow within a run)
      results: {
        select: { checkId: true, status: true, message: true, hint: true, evidence: true },
        orderBy: { id: "asc" },
      },
    },
  });
  const latest = new Map<string, TaskProgress>();
  for (const run of runs) {
    const seen = latest.get(run.taskId);
    if (seen) {
      seen.checks++;
      if (seen.reached === undefined) seen.reached = reachedOf(taskStateOf(run.results));
      continue;
    }
    latest.set(run.taskId, {
      checks: 1,
      reached: reachedOf(taskStateOf(run.results)),
      taskId: run.taskId,
      state: taskStateOf(run.results),
      cluster: run.cluster,
      checkedAt: run.createdAt,
      results: run.results.map((r) => ({
        checkId: r.checkId,
        status: r.status,
        message: r.message,
        ...(r.hint === null ? {} : { hint: r.hint }),
        evidence: evidenceFromJson(r.evidence),
      })),
    });
  }
  return [...latest.values()];
}

/** Evidence as stored: JSON text, or null when there is none or it cannot be written as JSON. */
function reachedOf(state: TaskState): Exclude<TaskState, "error"> | undefined {
  return state === "error" ? undefined : state;
}

export function evidenceToJson(evidence: readonly Evidence[] | undefined): string | null {
  if (!evidence || evidence.length === 0) return null;
  try {
    return JSON.stringify(evidence);
  } catch {
    // a value JSON cannot hold (a cycle, a BigInt) must not lose the run
    return null;
  }
}

/** Stored evidence back as a list; null, bad JSON or anything but a list of objects with kind and name reads as []. */
export function evidenceFromJson(text: string | null | undefined): Evidence[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (e): e is Evidence =>
      typeof e === "object" && e !== null && typeof e.kind === "string" && typeof e.name === "string",
  );
}

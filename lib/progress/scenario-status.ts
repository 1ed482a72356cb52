import type { Db } from "./db";
import { taskStateOf } from "./task-state";

export type ScenarioState = "new" | "started" | "passed";

export interface ScenarioStatus {
  state: ScenarioState;
  tasksPassed: number;
  lastActivity: Date;
}

/**
 * Per scenario, from the learner's newest attempt: how many tasks' latest Check since the last
 * reset passed (a Check that could not reach the cluster does not count: it says nothing of the
 * answer).
 * `passed` needs every task, so the caller gives each scenario's task count.
 */
export async function scenarioStatuses(
  db: Db,
  learnerId: string,
  taskCounts: Record<string, number>,
): Promise<Record<string, ScenarioStatus>> {
  const attempts = await db.attempt.findMany({
    where: { learnerId, mode: "learn" },
    orderBy: { startedAt: "desc" },
    select: {
      scenarioId: true,
      startedAt: true,
      resetAt: true,
      checkRuns: {
        orderBy: { createdAt: "desc" },
        select: { taskId: true, createdAt: true, results: { select: { status: true } } },
      },
    },
  });
  const out: Record<string, ScenarioStatus> = {};
  for (const a of attempts) {
    if (out[a.scenarioId]) continue; // newest attempt only
    const seen = new Set<string>();
    let passed = 0;
    const resetAt = a.resetAt;
    const runs = resetAt ? a.checkRuns.filter((r) => r.createdAt > resetAt) : a.checkRuns;
    for (const run of runs) {
      // the latest Check that says something about the answer: an `error` never lowers progress
      const state = taskStateOf(run.results);
      if (seen.has(run.taskId) || state === "error") continue;
      seen.add(run.taskId);
      if (state === "passed") passed++;
    }
    const total = taskCounts[a.scenarioId] ?? Number.POSITIVE_INFINITY;
    out[a.scenarioId] = {
      state: passed >= total ? "passed" : "started",
      tasksPassed: passed,
      lastActivity: runs[0]?.createdAt ?? a.resetAt ?? a.startedAt,
    };
  }
  return out;
}

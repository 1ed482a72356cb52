import { connectGrader, resolveActiveCluster } from "../cluster/active-cluster";
import { clusterForScenario } from "../cluster/bare-cluster";
import { AppError } from "../errors";
import { startAttempt } from "../progress/attempts";
import { recordCheckRun } from "../progress/check-runs";
import { getDb } from "../progress/db";
import { ensureLearner } from "../progress/learners";
import { taskStateOf } from "../progress/task-state";
import { gradeScenario } from "../scenarios/grade-scenario";
import { loadScenario } from "../scenarios/load-scenario";
import type { TaskCheckView } from "./check-view";
import { refuseDuringExam } from "./end-exam";
import { ensureDatabase } from "./ensure-database";

/**
 * Check one task against the active cluster (read on the server with its read-only
 * credential, never from the learner's shell) and store the result. A cluster that cannot be
 * read gives `error` results, stored as errors, never as failures. While an exam runs, AppError
 * `forbidden`: its results wait for the exam's end.
 */
export async function checkTask(scenarioId: string, taskId: string): Promise<TaskCheckView> {
  await refuseDuringExam("Check");
  const loaded = loadScenario(scenarioId);
  if (!loaded.ok) throw new AppError("not-found", `no scenario '${scenarioId}' that loads`);
  if (!loaded.scenario.tasks.some((t) => t.id === taskId)) {
    throw new AppError("not-found", `scenario '${scenarioId}' has no task '${taskId}'`);
  }
  const active = clusterForScenario(resolveActiveCluster(), loaded.scenario);
  const results = await gradeScenario(connectGrader(active), loaded.scenario, [taskId]);

  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const attempt = await startAttempt(db, learner.id, scenarioId);
  await recordCheckRun(db, { attemptId: attempt.id, taskId, cluster: active.name, results });
  return {
    taskId,
    state: taskStateOf(results),
    cluster: active.name,
    results: results.map(({ id, status, message, hint, evidence }) => ({ id, status, message, hint, evidence })),
  };
}

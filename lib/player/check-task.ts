import { resolveActiveCluster } from "../cluster/active-cluster";
import { createKubeCluster } from "../cluster/kube-client";
import { AppError } from "../errors";
import { startAttempt } from "../progress/attempts";
import { recordCheckRun } from "../progress/check-runs";
import { getDb } from "../progress/db";
import { ensureLearner } from "../progress/learners";
import { taskStateOf } from "../progress/task-state";
import { loadScenario } from "../scenarios/load-scenario";
import { loadVerifyModule, runChecks } from "../verify/engine";
import type { CheckResult } from "../verify/types";
import type { TaskCheckView } from "./check-view";
import { ensureDatabase } from "./ensure-database";

/**
 * Check one task against the active cluster (read on the server, never from the learner's
 * shell) and store the result. A cluster that cannot be read gives `error` results, stored as
 * errors, never as failures.
 */
export async function checkTask(scenarioId: string, taskId: string): Promise<TaskCheckView> {
  const loaded = loadScenario(scenarioId);
  if (!loaded.ok) throw new AppError("not-found", `no scenario '${scenarioId}' that loads`);
  const task = loaded.scenario.tasks.find((t) => t.id === taskId);
  if (!task) throw new AppError("not-found", `scenario '${scenarioId}' has no task '${taskId}'`);

  const active = resolveActiveCluster();
  const requests = task.checks.map((c) => ({ ...c, taskId }));
  let results: CheckResult[];
  if (active.driver === "none") {
    results = requests.map((c) =>
      errorResult(
        `${taskId}/${c.id}`,
        c.use ?? c.fn ?? "",
        "No cluster to check. Start one with: npm run cluster -- up --driver lite",
      ),
    );
  } else {
    // The lite driver runs no Envoy; a real cluster does, so traffic-level checks can run there.
    const cluster = createKubeCluster({
      kubeconfigPath: active.graderKubeconfig,
      context: active.graderKubeconfig === active.kubeconfig ? active.context : undefined,
      capabilities: { dataPlane: active.driver !== "lite" },
    });
    const verify = loaded.scenario.verifyModule ? await loadVerifyModule(loaded.scenario.verifyModule) : undefined;
    if (!cluster.ok) {
      results = requests.map((c) => errorResult(`${taskId}/${c.id}`, c.use ?? c.fn ?? "", cluster.failure.message));
    } else if (verify && !verify.ok) {
      results = requests.map((c) => errorResult(`${taskId}/${c.id}`, c.use ?? c.fn ?? "", verify.error));
    } else {
      results = await runChecks(cluster.value, requests, verify?.ok ? verify.checks : undefined);
    }
  }

  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const attempt = await startAttempt(db, learner.id, scenarioId);
  await recordCheckRun(db, { attemptId: attempt.id, taskId, cluster: active.name, results });
  return {
    taskId,
    state: taskStateOf(results),
    cluster: active.name,
    results: results.map((r) => ({
      id: r.id,
      status: r.status,
      message: r.message,
      hint: r.hint,
      evidence: r.evidence,
    })),
  };
}

function errorResult(id: string, use: string, message: string): CheckResult {
  return { id, use, status: "error", message, evidence: [], durationMs: 0 };
}

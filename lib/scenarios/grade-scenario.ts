// The one way from a scenario (and some of its tasks) to check requests and results (its
// setup is already a list of manifest sources). The player's Check, `npm run check`, the proof and the tests all go through here.
import type { Cluster, ClusterResult } from "../cluster/types";
import { type CheckRequest, runChecks } from "../verify/engine";
import { loadVerifyModule } from "../verify/load-verify-module";
import type { CheckResult } from "../verify/types";
import type { Scenario } from "./schema";

/** The checks of the given tasks (all when none are named), ids `<taskId>/<checkId>`. */
export function checkRequestsOf(scenario: Scenario, taskIds?: readonly string[]): CheckRequest[] {
  const tasks = taskIds ? scenario.tasks.filter((t) => taskIds.includes(t.id)) : scenario.tasks;
  return tasks.flatMap((t) => t.checks.map((c) => ({ ...c, taskId: t.id })));
}

/**
 * Runs the checks of the given tasks on a cluster. A cluster that could not be made, or a
 * verify.ts that does not load, gives every check an `error` with the reason, never a `fail`.
 */
export async function gradeScenario(
  cluster: Cluster | ClusterResult<Cluster>,
  scenario: Scenario,
  taskIds?: readonly string[],
): Promise<CheckResult[]> {
  const requests = checkRequestsOf(scenario, taskIds);
  if ("ok" in cluster && !cluster.ok) return errorResults(requests, cluster.failure.message);
  const verify = scenario.verifyModule ? await loadVerifyModule(scenario.verifyModule) : undefined;
  if (verify && !verify.ok) return errorResults(requests, verify.error);
  return runChecks("ok" in cluster ? cluster.value : cluster, requests, verify?.checks);
}

function errorResults(requests: readonly CheckRequest[], message: string): CheckResult[] {
  return requests.map((c) => ({
    id: `${c.taskId}/${c.id}`,
    use: c.use ?? c.fn ?? "",
    status: "error",
    message,
    evidence: [],
    durationMs: 0,
  }));
}

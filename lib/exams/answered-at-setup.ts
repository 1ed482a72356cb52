// Tasks an exam cannot ask on their own: set up as an exam sets a task up (its scenario's setup
// plus the solutions of the tasks before it), every check already passes, because an earlier
// task's solution answers it too (egress-tls-origination's keep-https shares originate's file).
// Judged from files, so it needs no cluster.
import { loadFileCluster } from "../cluster/file-cluster";
import { gradeScenario } from "../scenarios/grade-scenario";
import type { Scenario } from "../scenarios/schema";
import { examTaskManifests } from "./exam-task-manifests";

/** `<scenario>/<task>` of every task after the first whose checks all pass over the solutions before it. */
export async function tasksAnsweredAtSetup(catalog: readonly Scenario[]): Promise<Set<string>> {
  const answered = new Set<string>();
  for (const scenario of catalog) {
    for (const task of scenario.tasks.slice(1)) {
      const { cluster } = loadFileCluster(examTaskManifests(scenario, task.id));
      const results = await gradeScenario(cluster, scenario, [task.id]);
      if (results.length > 0 && results.every((r) => r.status === "pass")) answered.add(`${scenario.id}/${task.id}`);
    }
  }
  return answered;
}

// What sets up a task of an exam: its scenario's setup plus the solutions of the tasks before it
// in that scenario, as a learner who solved those would have left the cluster. Pure: the
// manifests in apply order, for the exam's setup to apply.
import type { ManifestSource } from "../cluster/file-cluster";
import { AppError } from "../errors";
import type { Scenario } from "../scenarios/schema";

/** The manifests that set up one task of a scenario for an exam, in apply order. */
export function examTaskManifests(scenario: Scenario, taskId: string): ManifestSource[] {
  const index = taskIndex(scenario, taskId);
  return [...scenario.setup, ...scenario.tasks.slice(0, index).map((t) => ({ path: t.solution }))];
}

/**
 * The manifests that set up a scenario once for all of its tasks an exam asks (they share its
 * setup): the setup, then the solutions of the tasks before the last one asked, except the tasks
 * the exam asks itself (the learner answers those).
 */
export function examScenarioManifests(scenario: Scenario, taskIds: readonly string[]): ManifestSource[] {
  if (taskIds.length === 0) return [...scenario.setup];
  const asked = new Set(taskIds);
  const last = Math.max(...taskIds.map((id) => taskIndex(scenario, id)));
  const solved = scenario.tasks.slice(0, last).filter((t) => !asked.has(t.id));
  return [...scenario.setup, ...solved.map((t) => ({ path: t.solution }))];
}

function taskIndex(scenario: Scenario, taskId: string): number {
  const index = scenario.tasks.findIndex((t) => t.id === taskId);
  if (index < 0) throw new AppError("not-found", `scenario '${scenario.id}' has no task '${taskId}'`);
  return index;
}

// Setting an exam's tasks up side by side on one cluster: each scenario of the exam once, with its
// setup plus the solutions of its tasks before the last one asked that the exam does not ask
// (exam-task-manifests.ts). Mesh-wide state that any scenario of the catalog may change goes back
// to the cluster's baseline first, so what a practice session left there cannot answer or break
// an exam's task. An install task (requires: [bareCluster]) is set up on the bare cluster instead,
// started over; the exam's terminal reaches it as context ica-lite-bare.
import { type ActiveCluster, resolveActiveCluster } from "../cluster/active-cluster";
import { clusterForScenario, startOverFromBare } from "../cluster/bare-cluster";
import type { ProgressFn } from "../cluster/drivers/types";
import { isMeshScopeEmpty, type MeshScope, restoreMeshScope } from "../cluster/mesh-scope";
import { setUpScenario } from "../cluster/scenario-objects";
import { AppError } from "../errors";
import { loadCatalog } from "../scenarios/load-catalog";
import { loadScenario } from "../scenarios/load-scenario";
import type { Scenario, TExamTaskRef } from "../scenarios/schema";
import { examScenarioManifests } from "./exam-task-manifests";
import { resolveExamTasks } from "./resolve-exam";

/** Scenarios set up at the same time (each mostly waits on the API server and rollouts). */
const CONCURRENCY = 3;

export interface SetUpExamOptions {
  /** the cluster to set the exam up on (default: the active one, as its admin) */
  cluster?: ActiveCluster;
  /** the mesh scopes to put back first (default: every scenario of the catalog that declares one) */
  meshScopes?: readonly MeshScope[];
}

/**
 * Sets up every scenario the exam's tasks come from, side by side on one cluster; progress lines
 * name the scenario. Throws AppError `invalid` when a task does not resolve against the catalog;
 * a setup step the cluster refuses throws its error (the first one; the others still finish).
 */
export async function setUpExam(
  refs: readonly TExamTaskRef[],
  onProgress: ProgressFn,
  options: SetUpExamOptions = {},
): Promise<void> {
  const scenarioIds = [...new Set(refs.map((r) => r.scenario))];
  const { tasks, problems } = resolveExamTasks(
    refs,
    scenarioIds.map((id) => loadScenario(id)),
  );
  if (problems.length > 0) {
    throw new AppError("invalid", `the exam cannot be set up: ${problems.map((p) => p.message).join("; ")}`);
  }
  const cluster = options.cluster ?? resolveActiveCluster();
  const scope = mergedScope(options.meshScopes ?? catalogMeshScopes());
  if (!isMeshScopeEmpty(scope)) {
    onProgress("Putting mesh-wide configuration back to the cluster's baseline...");
    await restoreMeshScope(cluster, scope, onProgress);
  }

  const asked = new Map<string, { scenario: Scenario; taskIds: string[] }>();
  for (const t of tasks) {
    const entry = asked.get(t.scenario.id) ?? { scenario: t.scenario, taskIds: [] };
    entry.taskIds.push(t.task.id);
    asked.set(t.scenario.id, entry);
  }
  let done = 0;
  await inPool([...asked.values()], CONCURRENCY, async ({ scenario, taskIds }) => {
    const say = (line: string) => onProgress(`[${scenario.id}] ${line.trim()}`);
    // An install task goes to the bare cluster, started over (an exam holds at most one: they conflict).
    const target = clusterForScenario(cluster, scenario);
    if (target.bare) await startOverFromBare(say);
    await setUpScenario(
      target,
      { namespaces: scenario.namespaces, setup: examScenarioManifests(scenario, taskIds), mesh: scenario.mesh },
      (line) => (line === "Ready." ? undefined : say(line)),
    );
    done += 1;
    onProgress(`[${scenario.id}] ready (${done} of ${asked.size} scenarios)`);
  });
}

/** The mesh scopes every scenario of the catalog declares (those that do not load have none to undo). */
function catalogMeshScopes(): MeshScope[] {
  return loadCatalog().flatMap((r) => (r.ok && r.scenario.mesh ? [r.scenario.mesh] : []));
}

/** One scope holding every object and config key of the given ones, each once. */
function mergedScope(scopes: readonly MeshScope[]): MeshScope {
  const objects = new Map(scopes.flatMap((s) => s.objects).map((o) => [JSON.stringify(o), o]));
  return { objects: [...objects.values()], config: [...new Set(scopes.flatMap((s) => s.config))] };
}

/** Runs `work` over the items, at most `limit` at once; rejects with the first error once all have ended. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const errors: unknown[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      await work(item).catch((e: unknown) => errors.push(e));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

// The live proof of many scenarios at once: scenarios whose namespaces and mesh scope do not
// overlap are proved side by side in one cluster, as the exam sets them up; overlapping ones
// wait for each other. When a scenario's proof ends its namespaces are deleted (without waiting)
// and its declared mesh scope is put back to the cluster's baseline.
import { needsBareCluster } from "../cluster/bare-cluster";
import { runKubectl } from "../cluster/kubectl";
import { restoreMeshScope } from "../cluster/mesh-scope";
import { conflicts } from "./conflicts";
import { type LiveTarget, proveLive, type StageReport } from "./prove-scenario";
import type { Scenario } from "./schema";

export interface ScenarioProof {
  scenario: Scenario;
  reports: StageReport[];
  seconds: number;
}

export interface CatalogProofOptions {
  /** scenarios proved at the same time (default 4) */
  concurrency?: number;
  /** called as each scenario's proof ends */
  onProof?: (proof: ScenarioProof) => void;
}

/**
 * `target` is the practice cluster; install tasks (`requires: [bareCluster]`) are proved on the
 * bare cluster instead, one at a time, beside the others, and need no target.
 */
export async function proveCatalogLive(
  scenarios: readonly Scenario[],
  target: LiveTarget | undefined,
  options: CatalogProofOptions = {},
): Promise<ScenarioProof[]> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const waiting = [...scenarios];
  const running = new Set<Scenario>();
  const done: ScenarioProof[] = [];

  const proveOne = async (scenario: Scenario): Promise<void> => {
    const started = Date.now();
    let reports: StageReport[];
    try {
      if (!needsBareCluster(scenario) && !target) throw new Error("no practice cluster to prove it on");
      reports = await proveLive(scenario, target as LiveTarget);
    } catch (e) {
      reports = [{ stage: "setup", results: [], problems: [(e as Error).message] }];
    }
    // leave the cluster as the scenario found it: its namespaces going, its mesh scope back to the
    // baseline (the bare cluster starts over anyway)
    if (target && !needsBareCluster(scenario)) {
      await runKubectl(target.admin, [
        "delete",
        "namespace",
        ...scenario.namespaces,
        "--ignore-not-found",
        "--wait=false",
      ]);
      await restoreMeshScope(target.admin, scenario.mesh, () => {}).catch((e: Error) => {
        reports.push({ stage: "cleanup", results: [], problems: [`restoring the mesh scope: ${e.message}`] });
      });
    }
    const proof = { scenario, reports, seconds: (Date.now() - started) / 1000 };
    done.push(proof);
    options.onProof?.(proof);
  };

  // Start whatever fits; when one ends, look again. A scenario that conflicts with a running one
  // keeps its place in the queue.
  await new Promise<void>((resolve) => {
    const fill = (): void => {
      if (waiting.length === 0 && running.size === 0) {
        resolve();
        return;
      }
      for (let i = 0; i < waiting.length && running.size < concurrency; ) {
        const next = waiting[i];
        if ([...running].some((r) => conflicts(r, next).length > 0)) {
          i++;
          continue;
        }
        waiting.splice(i, 1);
        running.add(next);
        void proveOne(next).finally(() => {
          running.delete(next);
          fill();
        });
      }
    };
    fill();
  });
  return done;
}

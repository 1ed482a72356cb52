import { resolveActiveCluster } from "../cluster/active-cluster";
import { AppError } from "../errors";
import { loadScenario } from "../scenarios/load-scenario";

/**
 * What stops a Reset before it starts, found without touching the cluster: a scenario that does
 * not load (not-found) or no cluster to set it up on (unavailable). The route answers these with
 * a status before it streams; resetScenario checks the same and reports them in its stream.
 */
export function findResetObstacle(scenarioId: string): AppError | undefined {
  if (!loadScenario(scenarioId).ok) return new AppError("not-found", `no scenario '${scenarioId}' that loads`);
  if (resolveActiveCluster().driver === "none") {
    return new AppError("unavailable", "No cluster to set up. Start one with: npm run cluster -- up --driver lite");
  }
  return undefined;
}

// The bare lite cluster as scenarios use it: a scenario that declares `requires: [bareCluster]`
// (an install task: istioctl install, Helm, revisions) runs there instead of on the active
// cluster, and each setup of it starts over from bare: the bare cluster is stopped and started
// again (its etcd is fresh at every up), so nothing a previous install left can answer a task.
import { existsSync } from "node:fs";
import type { EnvSource } from "../env";
import { liteBareDir, toolsBinDir } from "../paths";
import type { ActiveCluster } from "./active-cluster";
import { createLiteDriver } from "./drivers/lite";
import { BARE_CONTEXT_NAME } from "./drivers/lite-access";
import { litePaths } from "./drivers/lite-state";
import type { ProgressFn } from "./drivers/types";

export const BARE_CLUSTER = "bareCluster";
export { BARE_CONTEXT_NAME };

export function needsBareCluster(scenario: { requires: readonly string[] }): boolean {
  return scenario.requires.includes(BARE_CLUSTER);
}

export const bareKubeconfigPath = (source: EnvSource = process.env): string =>
  litePaths(liteBareDir(source)).kubeconfig;

/** The bare cluster as an ActiveCluster (its kubeconfig exists once it is up). */
export function bareActiveCluster(source: EnvSource = process.env): ActiveCluster {
  const paths = litePaths(liteBareDir(source));
  return {
    driver: "lite",
    name: BARE_CONTEXT_NAME,
    kubeconfig: paths.kubeconfig,
    graderKubeconfig: paths.graderKubeconfig,
    binDir: existsSync(toolsBinDir(source)) ? toolsBinDir(source) : undefined,
    capabilities: { dataPlane: false },
    bare: true,
  };
}

/**
 * The cluster a scenario runs on: the bare cluster for `requires: [bareCluster]` (unless there is
 * no cluster at all: ICA_CLUSTER=none), the active one otherwise.
 */
export function clusterForScenario(active: ActiveCluster, scenario: { requires: readonly string[] }): ActiveCluster {
  return needsBareCluster(scenario) && active.driver !== "none" ? bareActiveCluster() : active;
}

export const createBareDriver = () => createLiteDriver({ bare: true });

/** Stops the bare cluster if it runs and starts a fresh one (5 to 20 s warm). */
export async function startOverFromBare(onProgress: ProgressFn): Promise<void> {
  const driver = createBareDriver();
  onProgress("Starting over from a bare cluster (Kubernetes and the sample apps, no Istio)...");
  await driver.down(onProgress);
  await driver.up(onProgress);
}

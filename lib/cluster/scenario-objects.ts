// Setting a scenario up on a cluster and taking it away again (Prepare and Reset).
import type { ActiveCluster } from "./active-cluster";
import type { ProgressFn } from "./drivers/types";
import { runKubectl } from "./kubectl";

export interface SetupManifest {
  manifest: string;
  /** for manifests without namespaces, such as the sample apps */
  namespace?: string;
}

export class ClusterCommandError extends Error {}

async function kubectlOrThrow(cluster: ActiveCluster, args: string[], timeoutMs?: number): Promise<string> {
  const r = await runKubectl(cluster, args, timeoutMs);
  if (r.code !== 0) throw new ClusterCommandError(`kubectl ${args.join(" ")}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** The scenario namespaces that do not exist yet (all of them on a fresh cluster). */
export async function missingNamespaces(cluster: ActiveCluster, namespaces: string[]): Promise<string[]> {
  const out = await kubectlOrThrow(cluster, ["get", "namespaces", "-o", "jsonpath={.items[*].metadata.name}"], 15_000);
  const existing = new Set(out.split(/\s+/));
  return namespaces.filter((ns) => !existing.has(ns));
}

/** Deletes the scenario's namespaces, applies its setup in order and waits for its Deployments. */
export async function setUpScenario(
  cluster: ActiveCluster,
  scenario: { namespaces: string[]; setup: SetupManifest[] },
  onProgress: ProgressFn,
): Promise<void> {
  onProgress(`Deleting namespaces ${scenario.namespaces.join(", ")} (if present)...`);
  await kubectlOrThrow(
    cluster,
    ["delete", "namespace", ...scenario.namespaces, "--ignore-not-found", "--wait=true", "--timeout=120s"],
    150_000,
  );
  for (const step of scenario.setup) {
    const name = step.manifest.split("/").slice(-2).join("/");
    onProgress(`Applying ${name}${step.namespace ? ` in ${step.namespace}` : ""}...`);
    const ns = step.namespace ? ["-n", step.namespace] : [];
    const out = await kubectlOrThrow(cluster, ["apply", ...ns, "-f", step.manifest]);
    for (const line of out.trim().split("\n").filter(Boolean)) onProgress(`  ${line}`);
  }
  for (const ns of scenario.namespaces) {
    onProgress(`Waiting for Deployments in ${ns}...`);
    const r = await runKubectl(
      cluster,
      ["wait", "-n", ns, "--for=condition=Available", "deployment", "--all", "--timeout=90s"],
      100_000,
    );
    if (r.code !== 0 && !/no matching resources/.test(r.stderr)) throw new ClusterCommandError(r.stderr.trim());
  }
  onProgress("Ready.");
}

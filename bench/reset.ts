// What one Reset costs on the lite cluster, for each example scenario.
//   baseline: delete the scenario's namespaces and wait for the namespace controller, then apply
//             the setup and wait for its Deployments (Reset before it kept namespaces);
//   product:  setUpScenario: keep the namespaces, delete what is in them, apply the setup, wait.
// Both run in this process, interleaved, after a learner-like change each time (a
// DestinationRule, a ConfigMap, a label); the ratio is what to compare.
// Usage: npm run bench:reset -- [--rounds N]
// It starts (or reuses) the lite cluster of $ICA_CACHE_DIR and resets the scenarios'
// namespaces, so do not run it while someone practises on that cluster.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { type ActiveCluster, resolveActiveCluster } from "../lib/cluster/active-cluster";
import { createLiteDriver } from "../lib/cluster/drivers/lite";
import { runKubectl } from "../lib/cluster/kubectl";
import { applyManifests, setUpScenario } from "../lib/cluster/scenario-objects";
import { loadScenario } from "../lib/scenarios/load-scenario";
import type { Scenario } from "../lib/scenarios/schema";

const SCENARIOS = ["traffic-mirroring", "analyze-short-host"];
const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const rounds = Number(values.rounds);

async function kubectl(cluster: ActiveCluster, args: string[]): Promise<void> {
  const r = await runKubectl(cluster, args, 180_000);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
}

/** Reset as it was: the namespaces deleted and waited for. */
async function resetByDeletingNamespaces(cluster: ActiveCluster, s: Scenario): Promise<void> {
  await kubectl(cluster, [
    "delete",
    "namespace",
    ...s.namespaces,
    "--ignore-not-found",
    "--wait=true",
    "--timeout=120s",
  ]);
  for (const step of s.setup) {
    const applied = await applyManifests(cluster, step);
    if (!applied.ok) throw new Error(applied.message);
  }
  for (const ns of s.namespaces) {
    await kubectl(cluster, ["wait", "-n", ns, "--for=condition=Available", "deployment", "--all", "--timeout=90s"]);
  }
}

/** What a learner leaves behind before pressing Reset. */
async function practise(cluster: ActiveCluster, s: Scenario): Promise<void> {
  const [ns] = s.namespaces;
  const applied = await applyManifests(cluster, { path: s.tasks[0].solution });
  if (!applied.ok) throw new Error(applied.message);
  await kubectl(cluster, ["create", "configmap", "learner-notes", "-n", ns, "--from-literal=a=b"]);
  await kubectl(cluster, ["label", "--overwrite", "namespace", ns, "team=a"]);
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await createLiteDriver().up((m) => console.error(`[lite] ${m}`));
const cluster = resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" });
for (const id of SCENARIOS) {
  const loaded = loadScenario(id);
  if (!loaded.ok) throw new Error(`${id} does not load`);
  const s = loaded.scenario;
  await setUpScenario(cluster, s, () => {});
  const baseline: number[] = [];
  const product: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await practise(cluster, s);
    baseline.push(await timed(() => resetByDeletingNamespaces(cluster, s)));
    await practise(cluster, s);
    product.push(await timed(() => setUpScenario(cluster, s, () => {})));
  }
  const [b, p] = [median(baseline), median(product)];
  console.log(
    `${id}: baseline ${b.toFixed(1)} s, product ${p.toFixed(1)} s, ratio ${(p / b).toFixed(2)} (median of ${rounds})`,
  );
}

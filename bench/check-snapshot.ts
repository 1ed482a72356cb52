// What one Check press costs against a real API server (the lite cluster).
//   baseline: each check reads the kinds it needs by itself, one list per kind per check,
//             as a grader that runs `kubectl get` per check does;
//   engine:   runChecks for the whole press: one snapshot, one list per kind.
// Both run in this process, interleaved, on the same cluster and objects; the ratios are
// what to compare. Usage: npm run bench:check-snapshot -- [--rounds N]
// It starts (or reuses) the lite cluster of $ICA_CACHE_DIR and resets the scenarios'
// namespaces, so do not run it while someone practises on that cluster.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { resolveActiveCluster } from "../lib/cluster/active-cluster";
import { createLiteDriver } from "../lib/cluster/drivers/lite";
import { createKubeCluster } from "../lib/cluster/kube-client";
import { runKubectl } from "../lib/cluster/kubectl";
import { setUpScenario } from "../lib/cluster/scenario-objects";
import type { Cluster } from "../lib/cluster/types";
import { loadScenario } from "../lib/scenarios/load-scenario";
import { type CheckRequest, runChecks } from "../lib/verify/engine";

const SCENARIOS = ["traffic-mirroring", "analyze-short-host"];

/** A cluster that counts the API calls made through it. */
function counting(cluster: Cluster): { cluster: Cluster; calls: () => number } {
  let calls = 0;
  return {
    cluster: {
      name: cluster.name,
      capabilities: cluster.capabilities,
      list: (kind, namespace) => {
        calls++;
        return cluster.list(kind, namespace);
      },
      get: (kind, name, namespace) => {
        calls++;
        return cluster.get(kind, name, namespace);
      },
    },
    calls: () => calls,
  };
}

async function press(grade: () => Promise<unknown>, calls: () => number): Promise<{ ms: number; calls: number }> {
  const before = calls();
  const started = performance.now();
  await grade();
  return { ms: performance.now() - started, calls: calls() - before };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "30" } } });
  const rounds = Number(values.rounds);
  const { kubeconfig } = await createLiteDriver().up((line) => console.error(`[lite] ${line}`));
  const active = { ...resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" }), kubeconfig };

  const requests: CheckRequest[] = [];
  for (const id of SCENARIOS) {
    const loaded = loadScenario(id);
    if (!loaded.ok) throw new Error(`${id}: ${loaded.errors.map((e) => e.message).join("; ")}`);
    await setUpScenario(active, loaded.scenario, () => {});
    for (const task of loaded.scenario.tasks) {
      const applied = await runKubectl(active, ["apply", "-f", task.solution]);
      if (applied.code !== 0) throw new Error(applied.stderr);
      requests.push(...task.checks.map((c) => ({ ...c, taskId: `${id}/${task.id}` })));
    }
  }

  const made = createKubeCluster({ kubeconfigPath: active.graderKubeconfig });
  if (!made.ok) throw new Error(made.failure.message);
  const { cluster, calls } = counting(made.value);
  const baseline = () => Promise.all(requests.map((r) => runChecks(cluster, [r])));
  const engine = () => runChecks(cluster, requests);

  const results = await engine();
  const notPassed = results.filter((r) => r.status !== "pass");
  if (notPassed.length > 0) throw new Error(`solutions should pass: ${notPassed.map((r) => r.id).join(", ")}`);
  await baseline(); // warm both paths (connections, JIT)

  const samples = { baseline: [] as number[], engine: [] as number[] };
  const apiCalls = { baseline: 0, engine: 0 };
  for (let i = 0; i < rounds; i++) {
    const b = await press(baseline, calls);
    const e = await press(engine, calls);
    samples.baseline.push(b.ms);
    samples.engine.push(e.ms);
    apiCalls.baseline = b.calls;
    apiCalls.engine = e.calls;
  }
  const ms = { baseline: median(samples.baseline), engine: median(samples.engine) };
  console.log(`Check press over ${requests.length} checks of ${SCENARIOS.join(", ")}; ${rounds} rounds, median`);
  console.log(`  baseline (lists per check):  ${apiCalls.baseline} API calls, ${ms.baseline.toFixed(1)} ms`);
  console.log(`  engine (one snapshot):       ${apiCalls.engine} API calls, ${ms.engine.toFixed(1)} ms`);
  console.log(
    `  ratio engine/baseline: calls ${(apiCalls.engine / apiCalls.baseline).toFixed(2)}, time ${(ms.engine / ms.baseline).toFixed(2)}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

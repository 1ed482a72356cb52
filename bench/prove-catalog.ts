// What the live proof of a catalog costs on the lite cluster.
//   baseline: a full Reset (delete the namespaces, wait, apply the setup) before every stage,
//             one scenario after another, as the proof did before stages moved in place;
//   product:  proveCatalogLive: one Reset per scenario, stages reached by kubectl in place,
//             scenarios that do not conflict proved side by side.
// Both run in this process on the same cluster: first the two example scenarios each way (the
// ratio per scenario), then the product on a generated catalog of copies under their own
// namespaces (default 40: the figure the content wave must stay under 10 minutes with).
// Usage: npm run bench:prove-catalog -- [--copies N] [--jobs N]
// It starts (or reuses) the lite cluster of $ICA_CACHE_DIR and resets the scenarios'
// namespaces, so do not run it while someone practises on that cluster.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { resolveActiveCluster } from "../lib/cluster/active-cluster";
import { createLiteDriver } from "../lib/cluster/drivers/lite";
import { applyManifests, setUpScenario } from "../lib/cluster/scenario-objects";
import { gradeScenario } from "../lib/scenarios/grade-scenario";
import { loadScenario } from "../lib/scenarios/load-scenario";
import { proveCatalogLive } from "../lib/scenarios/prove-catalog";
import {
  judgeStage,
  type LiveTarget,
  liveTargetOf,
  proofStages,
  type StageReport,
  stageManifests,
} from "../lib/scenarios/prove-scenario";
import type { Scenario } from "../lib/scenarios/schema";

const EXAMPLES = ["traffic-mirroring", "analyze-short-host"];

const { values } = parseArgs({
  options: { copies: { type: "string", default: "40" }, jobs: { type: "string", default: "4" } },
});
const copies = Number(values.copies);
const jobs = Number(values.jobs);

function load(dir: string): Scenario {
  const r = loadScenario(dir);
  if (!r.ok) throw new Error(`${dir}: ${r.errors.map((e) => e.message).join("; ")}`);
  return r.scenario;
}

/** The proof as it was: a full Reset before every stage. */
async function proveWithResets(scenario: Scenario, target: LiveTarget): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  for (const stage of proofStages(scenario)) {
    await setUpScenario(target.admin, scenario, () => {});
    for (const source of stageManifests(scenario, stage).slice(scenario.setup.length)) {
      const applied = await applyManifests(target.admin, source);
      if (!applied.ok) throw new Error(applied.message);
    }
    reports.push(judgeStage(scenario, stage, await gradeScenario(target.grader, scenario)));
  }
  return reports;
}

/** N copies of the examples, each under its own id and namespaces, in a temporary catalog. */
function generateCatalog(n: number): Scenario[] {
  const root = mkdtempSync(path.join(tmpdir(), "ica-bench-catalog-"));
  const originals = EXAMPLES.map((id) => load(path.join("scenarios", id)));
  return Array.from({ length: n }, (_, i) => {
    const original = originals[i % originals.length];
    const id = `${original.id}-c${i}`;
    const dir = path.join(root, id);
    cpSync(original.dir, dir, { recursive: true });
    const rename = (text: string) =>
      original.namespaces
        .reduce((t, ns) => t.replace(new RegExp(`\\b${ns}\\b`, "g"), `${ns}-c${i}`), text)
        .replace(`id: ${original.id}`, `id: ${id}`);
    for (const file of filesUnder(dir)) writeFileSync(file, rename(readFileSync(file, "utf8")));
    return load(dir);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function problemsOf(reports: StageReport[]): string[] {
  return reports.flatMap((r) => r.problems.map((p) => `${r.stage}: ${p}`));
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

const { kubeconfig } = await createLiteDriver().up((m) => console.error(`[lite] ${m}`));
console.error(`cluster: ${kubeconfig}`);
const made = liveTargetOf(resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" }));
if (!made.ok) throw new Error(made.failure.message);
const target = made.value;
const examples = EXAMPLES.map((id) => load(path.join("scenarios", id)));

let baseline = 0;
for (const s of examples) {
  const [reports, seconds] = await timed(() => proveWithResets(s, target));
  if (problemsOf(reports).length > 0) throw new Error(`baseline ${s.id}: ${problemsOf(reports).join("; ")}`);
  console.log(`baseline  ${s.id}: ${reports.length} stages, ${seconds.toFixed(1)} s`);
  baseline += seconds;
}
const [inPlace, product] = await timed(() => proveCatalogLive(examples, target, { concurrency: 1 }));
for (const p of inPlace)
  console.log(`product   ${p.scenario.id}: ${p.reports.length} stages, ${p.seconds.toFixed(1)} s`);
const stages = examples.reduce((n, s) => n + proofStages(s).length, 0);
console.log(
  `\nexamples, one after another: baseline ${baseline.toFixed(1)} s, product ${product.toFixed(1)} s, ratio ${(product / baseline).toFixed(2)} (${stages} stages)`,
);

const generated = generateCatalog(copies);
const [proofs, seconds] = await timed(() => proveCatalogLive(generated, target, { concurrency: jobs }));
const failing = proofs.filter((p) => problemsOf(p.reports).length > 0);
for (const p of failing) console.log(`✗ ${p.scenario.id}: ${problemsOf(p.reports).join("; ")}`);
const perScenarioBaseline = baseline / examples.length;
console.log(
  `generated catalog: ${copies} scenarios, ${jobs} at a time: ${seconds.toFixed(1)} s (${(seconds / 60).toFixed(1)} min), ` +
    `${failing.length} failing; the baseline's way would take about ${((perScenarioBaseline * copies) / 60).toFixed(1)} min, ` +
    `ratio ${(seconds / (perScenarioBaseline * copies)).toFixed(2)}`,
);
process.exit(failing.length > 0 ? 1 : 0);

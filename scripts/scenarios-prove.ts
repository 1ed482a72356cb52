// npm run scenarios:prove -- [DIR...] [--live [--jobs N]]
// Proves every scenario (or the folders given): after setup every check fails or is declared
// preSatisfied, with the solution every check passes, each mistake fails the checks it names
// with a message. From files by default; with --live on the active cluster (the lite cluster
// when it runs), applying the manifests with kubectl as a learner would. Exit 1 on any problem.
import path from "node:path";
import { parseArgs } from "node:util";
import { resolveActiveCluster } from "../lib/cluster/active-cluster";
import { needsBareCluster } from "../lib/cluster/bare-cluster";
import { loadCatalog } from "../lib/scenarios/load-catalog";
import { loadScenario } from "../lib/scenarios/load-scenario";
import { proveCatalogLive } from "../lib/scenarios/prove-catalog";
import { liveTargetOf, proveFromFiles, type StageReport } from "../lib/scenarios/prove-scenario";
import { formatContentError } from "../lib/scenarios/schema";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    live: { type: "boolean", default: false },
    jobs: { type: "string", default: "4" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("usage: npm run scenarios:prove -- [DIR...] [--live [--jobs N]]");
  process.exit(0);
}

const loaded = positionals.length > 0 ? positionals.map((d) => loadScenario(path.resolve(d))) : loadCatalog();
// Install tasks (requires: [bareCluster]) are proved on the bare cluster, which the proof starts
// itself; the others need the active cluster.
const needsActive = loaded.some((r) => !r.ok || !needsBareCluster(r.scenario));
const active = values.live && needsActive ? resolveActiveCluster() : undefined;
if (active && active.driver === "none") {
  console.error("--live needs a cluster: start one with npm run cluster -- up --driver lite");
  process.exit(2);
}
const target = active ? liveTargetOf(active) : undefined;
if (target && !target.ok) {
  console.error(target.failure.message);
  process.exit(2);
}

let failed = 0;
const started = Date.now();
const report = (id: string, reports: StageReport[], seconds: number): void => {
  const problems = reports.flatMap((rep) => rep.problems.map((p) => `${rep.stage}: ${p}`));
  console.log(`${problems.length === 0 ? "✓" : "✗"} ${id} (${reports.length} stages, ${seconds.toFixed(1)} s)`);
  for (const p of problems) console.log(`    ${p}`);
  for (const rep of reports) {
    if (rep.refused) console.log(`    ${rep.stage}: refused by the cluster (counts as failing): ${rep.refused}`);
    if (rep.notJudged) console.log(`    ${rep.stage}: not judged: ${rep.notJudged}`);
  }
  if (problems.length > 0) failed++;
};
const where = !values.live ? "from files" : active ? `live on cluster '${active.name}'` : "live on the bare cluster";
console.log(`Proving ${loaded.length} scenario(s) ${where}`);
const scenarios = loaded.flatMap((r) => {
  if (r.ok) return [r.scenario];
  failed++;
  console.log(`✗ ${r.id}: does not load`);
  for (const e of r.errors) console.log(`    ${formatContentError(e)}`);
  return [];
});
if (values.live) {
  const concurrency = Number(values.jobs);
  await proveCatalogLive(scenarios, target?.ok ? target.value : undefined, {
    concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 4,
    onProof: (p) => report(p.scenario.id, p.reports, p.seconds),
  });
} else {
  for (const s of scenarios) {
    const t0 = Date.now();
    report(s.id, await proveFromFiles(s), (Date.now() - t0) / 1000);
  }
}
console.log(
  `\n${loaded.length - failed} of ${loaded.length} scenarios proved in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failed > 0 || loaded.length === 0 ? 1 : 0);

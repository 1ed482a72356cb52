// npm run scenarios:prove -- [DIR...] [--live]
// Proves every scenario (or the folders given): after setup every check fails or is declared
// preSatisfied, with the solution every check passes, each mistake fails the checks it names
// with a message. From files by default; with --live on the active cluster (the lite cluster
// when it runs), applying the manifests with kubectl as a learner would. Exit 1 on any problem.
import path from "node:path";
import { parseArgs } from "node:util";
import { resolveActiveCluster } from "../lib/cluster/active-cluster";
import { loadCatalog } from "../lib/scenarios/load-catalog";
import { loadScenario } from "../lib/scenarios/load-scenario";
import { liveTargetOf, proveFromFiles, proveLive, type StageReport } from "../lib/scenarios/prove-scenario";
import { formatContentError } from "../lib/scenarios/schema";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { live: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
});
if (values.help) {
  console.log("usage: npm run scenarios:prove -- [DIR...] [--live]");
  process.exit(0);
}

const loaded = positionals.length > 0 ? positionals.map((d) => loadScenario(path.resolve(d))) : loadCatalog();
const active = values.live ? resolveActiveCluster() : undefined;
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
console.log(`Proving ${loaded.length} scenario(s) ${target?.ok ? `live on cluster '${active?.name}'` : "from files"}`);
for (const r of loaded) {
  if (!r.ok) {
    failed++;
    console.log(`✗ ${r.id}: does not load`);
    for (const e of r.errors) console.log(`    ${formatContentError(e)}`);
    continue;
  }
  const t0 = Date.now();
  let reports: StageReport[];
  try {
    reports = target?.ok ? await proveLive(r.scenario, target.value) : await proveFromFiles(r.scenario);
  } catch (e) {
    reports = [{ stage: "setup", results: [], problems: [(e as Error).message] }];
  }
  const problems = reports.flatMap((rep) => rep.problems.map((p) => `${rep.stage}: ${p}`));
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`${problems.length === 0 ? "✓" : "✗"} ${r.scenario.id} (${reports.length} stages, ${seconds} s)`);
  for (const p of problems) console.log(`    ${p}`);
  if (problems.length > 0) failed++;
}
console.log(
  `\n${loaded.length - failed} of ${loaded.length} scenarios proved in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failed > 0 || loaded.length === 0 ? 1 : 0);

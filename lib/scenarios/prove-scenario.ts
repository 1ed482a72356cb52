// The proof of a scenario: after setup every check fails (or is declared preSatisfied), with
// the solution every check passes, and each mistake (applied over the solution) fails the
// checks it names with a message. The stages are graded from files or on a live cluster.
import { loadFileCluster, type ManifestSource } from "../cluster/file-cluster";
import type { Cluster } from "../cluster/types";
import { type CustomChecks, runChecks } from "../verify/engine";
import type { CheckResult } from "../verify/types";
import type { ResolvedMistake, Scenario } from "./schema";

export type ProofStage = { kind: "setup" } | { kind: "solution" } | { kind: "mistake"; mistake: ResolvedMistake };

export interface StageReport {
  stage: string;
  results: CheckResult[];
  /** what is wrong with the scenario at this stage; empty when it holds */
  problems: string[];
}

export function stageName(stage: ProofStage, scenario: Scenario): string {
  return stage.kind === "mistake" ? `mistake ${stage.mistake.path.slice(scenario.dir.length + 1)}` : stage.kind;
}

export function proofStages(scenario: Scenario): ProofStage[] {
  return [
    { kind: "setup" },
    { kind: "solution" },
    ...scenario.mistakes.map((mistake) => ({ kind: "mistake" as const, mistake })),
  ];
}

/** Runs every check of the scenario on a cluster in the state of a stage, and judges the results. */
export async function gradeStage(
  scenario: Scenario,
  stage: ProofStage,
  cluster: Cluster,
  custom?: CustomChecks,
): Promise<StageReport> {
  const requests = scenario.tasks.flatMap((t) => t.checks.map((c) => ({ ...c, taskId: t.id })));
  const results = await runChecks(cluster, requests, custom);
  const problems: string[] = [];
  const preSatisfied = new Set(scenario.tasks.flatMap((t) => t.preSatisfied.map((id) => `${t.id}/${id}`)));
  for (const r of results) {
    const ok = r.status === "pass" || r.status === "skipped";
    if (stage.kind === "setup" && ok && !preSatisfied.has(r.id)) {
      problems.push(`${r.id} already passes after setup (fix the check or list it in preSatisfied): ${r.message}`);
    }
    if (stage.kind === "setup" && r.status === "error") problems.push(`${r.id} errors after setup: ${r.message}`);
    if (stage.kind === "solution" && !ok) problems.push(`${r.id} does not pass with the solution: ${r.message}`);
    if (stage.kind === "mistake" && stage.mistake.fails.includes(r.id)) {
      if (r.status !== "fail") problems.push(`${r.id} should fail but is ${r.status}: ${r.message}`);
      else if (r.message.trim().length < 10) problems.push(`${r.id} fails without a useful message: '${r.message}'`);
    }
  }
  return { stage: stageName(stage, scenario), results, problems };
}

/** The manifests of a stage, in apply order: setup, then solutions, then the mistake. */
export function stageManifests(scenario: Scenario, stage: ProofStage): ManifestSource[] {
  const setup = scenario.setup.map((s) =>
    "sample" in s ? { path: s.manifest, namespace: s.namespace } : { path: s.manifest },
  );
  if (stage.kind === "setup") return setup;
  const solutions = scenario.tasks.map((t) => ({ path: t.solution }));
  if (stage.kind === "solution") return [...setup, ...solutions];
  return [...setup, ...solutions, { path: stage.mistake.path }];
}

/** The whole proof from files, no cluster needed. */
export async function proveFromFiles(scenario: Scenario, custom?: CustomChecks): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  for (const stage of proofStages(scenario)) {
    const { cluster, errors } = loadFileCluster(stageManifests(scenario, stage));
    if (errors.length > 0) {
      reports.push({
        stage: stageName(stage, scenario),
        results: [],
        problems: errors.map((e) => `${e.file}:${e.line ?? 1}: ${e.message}`),
      });
      continue;
    }
    reports.push(await gradeStage(scenario, stage, cluster, custom));
  }
  return reports;
}

// The proof of a scenario: after setup every check fails (or is declared preSatisfied), with
// the solution every check passes, and each mistake (applied over the solution) fails the
// checks it names with a message. From files, or on a live cluster through kubectl as a
// learner would apply the same manifests.
import { type ActiveCluster, connectGrader } from "../cluster/active-cluster";
import { loadFileCluster, type ManifestSource } from "../cluster/file-cluster";
import { applyManifests, deleteObjectsNotIn, setUpScenario } from "../cluster/scenario-objects";
import type { Cluster, ClusterResult } from "../cluster/types";
import type { CheckResult } from "../verify/types";
import { gradeScenario } from "./grade-scenario";
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

/** Judges the results of every check of the scenario on a cluster in the state of a stage. */
export function judgeStage(scenario: Scenario, stage: ProofStage, results: CheckResult[]): StageReport {
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

function solutionSources(scenario: Scenario): ManifestSource[] {
  return scenario.tasks.map((t) => ({ path: t.solution }));
}

/** The manifests of a stage, in apply order: setup, then solutions, then the mistake. */
export function stageManifests(scenario: Scenario, stage: ProofStage): ManifestSource[] {
  if (stage.kind === "setup") return scenario.setup;
  const solved = [...scenario.setup, ...solutionSources(scenario)];
  return stage.kind === "solution" ? solved : [...solved, { path: stage.mistake.path }];
}

/** The whole proof from files, no cluster needed. */
export async function proveFromFiles(scenario: Scenario): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  for (const stage of proofStages(scenario)) {
    const { cluster, errors } = loadFileCluster(stageManifests(scenario, stage));
    if (errors.length > 0) {
      const problems = errors.map((e) => `${e.file}:${e.line ?? 1}: ${e.message}`);
      reports.push({ stage: stageName(stage, scenario), results: [], problems });
      continue;
    }
    reports.push(judgeStage(scenario, stage, await gradeScenario(cluster, scenario)));
  }
  return reports;
}

export interface LiveTarget {
  /** applies manifests (the admin credential, as the learner's shell has) */
  admin: ActiveCluster;
  /** reads them for the checks (the read-only credential Check uses) */
  grader: Cluster;
}

/** Applies with the active cluster's admin credential, reads with its read-only one. */
export function liveTargetOf(active: ActiveCluster): ClusterResult<LiveTarget> {
  const grader = connectGrader(active);
  return grader.ok ? { ok: true, value: { admin: active, grader: grader.value } } : grader;
}

/**
 * The whole proof on a live cluster: the scenario's namespaces are set up once; the solution is
 * applied over the setup; each mistake over the solution, and afterwards what it added is deleted
 * and setup and solution are applied again (kubectl's three-way merge puts changed fields back).
 */
export async function proveLive(
  scenario: Scenario,
  target: LiveTarget,
  onProgress: (line: string) => void = () => {},
): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  const grade = async (stage: ProofStage) => {
    const report = judgeStage(scenario, stage, await gradeScenario(target.grader, scenario));
    onProgress(`${report.stage}: ${report.problems.length === 0 ? "holds" : `${report.problems.length} problem(s)`}`);
    reports.push(report);
  };
  const applyAll = async (stage: ProofStage, sources: readonly ManifestSource[]): Promise<boolean> => {
    for (const source of sources) {
      const applied = await applyManifests(target.admin, source);
      if (applied.ok) continue;
      const problem = `kubectl apply -f ${source.path.slice(scenario.dir.length + 1) || source.path}: ${applied.message}`;
      reports.push({ stage: stageName(stage, scenario), results: [], problems: [problem] });
      return false;
    }
    return true;
  };

  await setUpScenario(target.admin, scenario, () => {});
  await grade({ kind: "setup" });
  const solved = stageManifests(scenario, { kind: "solution" });
  if (!(await applyAll({ kind: "solution" }, solutionSources(scenario)))) return reports;
  await grade({ kind: "solution" });
  for (const mistake of scenario.mistakes) {
    const stage: ProofStage = { kind: "mistake", mistake };
    const mistakeSource = { path: mistake.path };
    if (await applyAll(stage, [mistakeSource])) await grade(stage);
    await deleteObjectsNotIn(target.admin, [mistakeSource], solved);
    if (!(await applyAll({ kind: "solution" }, solved))) return reports;
  }
  return reports;
}

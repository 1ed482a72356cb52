// The proof of a scenario: after setup every check fails (or is declared preSatisfied); with the
// solution, and with each alternative solution alone, every check passes; each mistake fails
// the checks it names with a message. From files, or on a live cluster through kubectl as a
// learner would apply the same manifests.
import { type ActiveCluster, connectGrader } from "../cluster/active-cluster";
import { bareActiveCluster, createBareDriver, needsBareCluster, startOverFromBare } from "../cluster/bare-cluster";
import { loadFileCluster, type ManifestSource } from "../cluster/file-cluster";
import { isScript } from "../cluster/run-script";
import {
  applyManifests,
  deleteObjectsNotIn,
  objectIdentities,
  setUpScenario,
  waitForRollouts,
} from "../cluster/scenario-objects";
import type { Cluster, ClusterResult } from "../cluster/types";
import type { CheckResult } from "../verify/types";
import { gradeScenario } from "./grade-scenario";
import type { ResolvedAlternative, ResolvedMistake, Scenario } from "./schema";

export type ProofStage =
  | { kind: "setup" }
  | { kind: "solution" }
  | { kind: "alternative"; alternative: ResolvedAlternative }
  | { kind: "mistake"; mistake: ResolvedMistake };

export interface StageReport {
  stage: string;
  results: CheckResult[];
  /** what is wrong with the scenario at this stage; empty when it holds */
  problems: string[];
  /** a mistake the cluster's validation refused: it fails as it would on the exam's cluster */
  refused?: string;
  /** why this stage was not judged (a live-only mistake proved from files) */
  notJudged?: string;
}

export function stageName(stage: ProofStage, scenario: Scenario): string {
  const rel = (p: string) => p.slice(scenario.dir.length + 1);
  if (stage.kind === "mistake") return `mistake ${rel(stage.mistake.path)}`;
  if (stage.kind === "alternative") return `alternative ${rel(stage.alternative.path)}`;
  return stage.kind;
}

export function proofStages(scenario: Scenario): ProofStage[] {
  return [
    { kind: "setup" },
    { kind: "solution" },
    ...scenario.alternatives.map((alternative) => ({ kind: "alternative" as const, alternative })),
    ...scenario.mistakes.map((mistake) => ({ kind: "mistake" as const, mistake })),
  ];
}

/** Judges the results of every check of the scenario on a cluster in the state of a stage. */
export function judgeStage(scenario: Scenario, stage: ProofStage, results: CheckResult[]): StageReport {
  const problems: string[] = [];
  const preSatisfied = new Set(scenario.tasks.flatMap((t) => t.preSatisfied.map((id) => `${t.id}/${id}`)));
  const solved = stage.kind === "solution" || stage.kind === "alternative";
  for (const r of results) {
    const ok = r.status === "pass" || r.status === "skipped";
    // A check skipped at setup (a traffic check where no data plane runs) is not judged there:
    // skipped it stays at every stage, so "already passes" would be wrong.
    if (stage.kind === "setup" && r.status === "pass" && !preSatisfied.has(r.id)) {
      problems.push(`${r.id} already passes after setup (fix the check or list it in preSatisfied): ${r.message}`);
    }
    if (stage.kind === "setup" && r.status === "error") problems.push(`${r.id} errors after setup: ${r.message}`);
    if (solved && !ok) problems.push(`${r.id} does not pass: ${r.message}`);
    if (stage.kind === "mistake" && stage.mistake.fails.includes(r.id)) {
      if (r.status !== "fail") problems.push(`${r.id} should fail but is ${r.status}: ${r.message}`);
      else if (r.message.trim().length < 10) problems.push(`${r.id} fails without a useful message: '${r.message}'`);
    }
  }
  return { stage: stageName(stage, scenario), results, problems };
}

/** Each task's solution; an alternative replaces the tasks it has a file for. */
function solutionSources(scenario: Scenario, alternative?: ResolvedAlternative): ManifestSource[] {
  return scenario.tasks.map((t) => ({ path: alternative?.solutions[t.id] ?? t.solution }));
}

/** The manifests of a stage, in apply order. */
export function stageManifests(scenario: Scenario, stage: ProofStage): ManifestSource[] {
  switch (stage.kind) {
    case "setup":
      return scenario.setup;
    case "solution":
      return [...scenario.setup, ...solutionSources(scenario)];
    case "alternative":
      return [...scenario.setup, ...solutionSources(scenario, stage.alternative)];
    case "mistake": {
      const base = stage.mistake.base === "setup" ? scenario.setup : stageManifests(scenario, { kind: "solution" });
      return [...base, { path: stage.mistake.path }];
    }
  }
}

/** The whole proof from files, no cluster needed. */
export async function proveFromFiles(scenario: Scenario): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  for (const stage of proofStages(scenario)) {
    if (stage.kind === "mistake" && stage.mistake.live) {
      const notJudged = "shows only on a live cluster (scenarios:prove --live)";
      reports.push({ stage: stageName(stage, scenario), results: [], problems: [], notJudged });
      continue;
    }
    if (stageManifests(scenario, stage).some((s) => isScript(s.path))) {
      const notJudged = "runs a script: judged by what it leaves in a live cluster (scenarios:prove --live)";
      reports.push({ stage: stageName(stage, scenario), results: [], problems: [], notJudged });
      continue;
    }
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
 * The whole proof on a live cluster, with one Reset at the start: each later stage is reached
 * from the one before in place (stageStep): the objects it does not define are deleted, its new
 * manifests applied, and those a previous stage had changed applied again (kubectl's three-way
 * merge puts changed fields back).
 */
export async function proveLive(
  scenario: Scenario,
  target: LiveTarget,
  onProgress: (line: string) => void = () => {},
): Promise<StageReport[]> {
  if (needsBareCluster(scenario)) return proveLiveFromBare(scenario, onProgress);
  const reports: StageReport[] = [];
  await setUpScenario(target.admin, scenario, () => {});
  let current: ManifestSource[] = scenario.setup;
  for (const stage of proofStages(scenario)) {
    const wanted = stageManifests(scenario, stage);
    const step = stageStep(current, wanted);
    await deleteObjectsNotIn(target.admin, step.removed, wanted);
    current = wanted;
    const refusal = await applyEach(target.admin, step.apply);
    reports.push(await reportStage(scenario, stage, refusal, target.grader, onProgress));
  }
  return reports;
}

/**
 * The proof of an install task (`requires: [bareCluster]`), every stage from a fresh bare
 * cluster as the learner gets it: started over, the setup applied (or run), then the stage's own
 * solutions or mistake. Slow (a cluster start per stage) but nothing one install leaves behind
 * can answer the next.
 */
async function proveLiveFromBare(scenario: Scenario, onProgress: (line: string) => void): Promise<StageReport[]> {
  const admin = bareActiveCluster();
  const reports: StageReport[] = [];
  try {
    for (const stage of proofStages(scenario)) {
      await startOverFromBare(() => {});
      await setUpScenario(admin, scenario, () => {});
      const refusal = await applyEach(admin, stageManifests(scenario, stage).slice(scenario.setup.length));
      // the grader's credential is new with every start
      const grader = connectGrader(admin);
      if (!grader.ok) throw new Error(grader.failure.message);
      reports.push(await reportStage(scenario, stage, refusal, grader.value, onProgress));
    }
  } finally {
    await createBareDriver().down(() => {}); // a gigabyte less while the rest runs
  }
  return reports;
}

async function reportStage(
  scenario: Scenario,
  stage: ProofStage,
  refusal: { source: ManifestSource; message: string } | undefined,
  grader: Cluster,
  onProgress: (line: string) => void,
): Promise<StageReport> {
  const name = stageName(stage, scenario);
  let report: StageReport;
  if (refusal && stage.kind === "mistake" && refusal.source.path === stage.mistake.path) {
    report = { stage: name, results: [], problems: [], refused: refusal.message };
  } else if (refusal) {
    const file = refusal.source.path.slice(scenario.dir.length + 1) || refusal.source.path;
    const what = isScript(refusal.source.path) ? `${file} failed` : `kubectl apply -f ${file} was refused`;
    report = { stage: name, results: [], problems: [`${what}: ${refusal.message}`] };
  } else {
    report = judgeStage(scenario, stage, await gradeScenario(grader, scenario));
  }
  onProgress(
    `${name}: ${report.refused ? "refused by the cluster" : report.problems.length === 0 ? "holds" : "FAILS"}`,
  );
  return report;
}

/**
 * What takes a cluster from one stage's manifests to the next's: the sources to take away (their
 * objects that the next stage does not define get deleted) and the sources to apply: the new ones,
 * and those whose objects a source taken away had changed.
 */
export function stageStep(
  current: readonly ManifestSource[],
  wanted: readonly ManifestSource[],
): { removed: ManifestSource[]; apply: ManifestSource[] } {
  const key = (s: ManifestSource) => `${s.namespace ?? ""}|${s.path}`;
  const isIn = (list: readonly ManifestSource[], s: ManifestSource) => list.some((x) => key(x) === key(s));
  const removed = current.filter((s) => !isIn(wanted, s));
  const touched = objectIdentities(removed);
  const apply = wanted.filter((s) => !isIn(current, s) || [...objectIdentities([s])].some((id) => touched.has(id)));
  return { removed, apply };
}

/**
 * Applies in order, each source's Deployments rolled out before the next (as a learner waits
 * before pressing Check); the first refusal stops it and is returned.
 */
async function applyEach(
  admin: ActiveCluster,
  sources: readonly ManifestSource[],
): Promise<{ source: ManifestSource; message: string } | undefined> {
  for (const source of sources) {
    const applied = await applyManifests(admin, source);
    if (!applied.ok) return { source, message: applied.message };
    await waitForRollouts(admin, [source]);
  }
  return undefined;
}

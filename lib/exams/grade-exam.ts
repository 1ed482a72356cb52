// Grading an exam: every check of every task once, on the cluster as it is now, through the one
// path a practice Check takes (gradeScenario over the active cluster's read-only credential).
import { connectGrader, resolveActiveCluster } from "../cluster/active-cluster";
import { clusterForScenario } from "../cluster/bare-cluster";
import { loadFileCluster } from "../cluster/file-cluster";
import type { Cluster, ClusterResult } from "../cluster/types";
import { AppError } from "../errors";
import { gradeScenario } from "../scenarios/grade-scenario";
import { loadScenario } from "../scenarios/load-scenario";
import type { Scenario, TExamTaskRef } from "../scenarios/schema";
import type { CheckResult, CheckStatus, Evidence } from "../verify/types";
import { type ExamTaskAnswers, type ExamTaskText, examTaskAnswers, examTaskText } from "./exam-task-content";
import { examScenarioManifests } from "./exam-task-manifests";
import { type ExamTask, resolveExamTasks } from "./resolve-exam";
import type { ScoringResult, ScoringTask } from "./score-exam";

/** One check's result in an exam's grading. */
export interface ExamCheckGrade {
  /** the check's id within its task */
  check: string;
  /** the built-in or verify.ts check it ran */
  use: string;
  /** its share of the task's points (lib/scenarios/schema.ts) */
  weight: number;
  /**
   * it passes once the exam is set up, before the learner acts: the scenario says so
   * (preSatisfied), or it passes over the exam's setup read from files (a guard that an earlier
   * task's solution in the setup satisfies). It earns only when another check of the task passes.
   */
  isPreSatisfied: boolean;
  status: CheckStatus;
  /** the reason, always */
  message: string;
  /** the scenario's hint for this check, on fail */
  hint?: string;
  evidence: Evidence[];
  durationMs: number;
}

export interface GradedExamTask {
  scenario: string;
  task: string;
  checks: ExamCheckGrade[];
  /** the engine's results as they came (ids `<taskId>/<checkId>`), as the progress store takes them */
  results: CheckResult[];
  /** the task as the exam showed it */
  text: ExamTaskText;
  /** for the report only: hints, solution files, explanation, other correct answers */
  answers: ExamTaskAnswers;
}

export interface ExamGrading {
  /** the cluster the checks read (stored with the results) */
  cluster: string;
  /** in the order of the tasks given */
  tasks: GradedExamTask[];
}

/** The cluster to grade on: by default the active cluster through its read-only credential. */
export interface ExamGrader {
  name: string;
  cluster: Cluster | ClusterResult<Cluster>;
}

/**
 * Grades the given tasks of an exam once, each scenario's asked tasks in one gradeScenario, all
 * scenarios at once. A cluster that cannot be reached gives every check an `error` with the reason
 * (scoreExam then says the exam is not graded), never a `fail`. Each check also says whether it
 * passes before the learner acts (isPreSatisfied, judged over the exam's setup from files), so
 * scoreExam pays it only on an answered task. Throws AppError `unavailable` when
 * a task's scenario no longer loads or no longer has the task: nothing is graded then.
 */
export async function gradeExam(refs: readonly TExamTaskRef[], grader?: ExamGrader): Promise<ExamGrading> {
  const scenarioIds = [...new Set(refs.map((r) => r.scenario))];
  const { tasks, problems } = resolveExamTasks(
    refs,
    scenarioIds.map((id) => loadScenario(id)),
  );
  if (problems.length > 0) {
    throw new AppError("unavailable", `the exam cannot be graded: ${problems.map((p) => p.message).join("; ")}`);
  }
  const graderOf = grader ? () => grader : scenarioGraders();
  const byScenario = groupByScenario(tasks);
  const preSatisfied = await passingAfterSetup(byScenario);
  const graded = await Promise.all(
    [...byScenario.values()].map(async (ts) => {
      const results = await gradeScenario(
        graderOf(ts[0].scenario).cluster,
        ts[0].scenario,
        ts.map((t) => t.task.id),
      );
      return ts.map((t) => {
        const mine = results.filter((r) => r.id.startsWith(`${t.task.id}/`));
        return { index: t.index, results: mine };
      });
    }),
  );
  const resultsAt = new Map(graded.flat().map((g) => [g.index, g.results]));
  return {
    cluster: [...new Set([...byScenario.values()].map((ts) => graderOf(ts[0].scenario).name))].join(", "),
    tasks: tasks.map((t) => {
      const results = resultsAt.get(t.index) ?? [];
      const byId = new Map(results.map((r) => [r.id, r]));
      return {
        scenario: t.scenario.id,
        task: t.task.id,
        checks: t.task.checks.map((c) => {
          const r = byId.get(`${t.task.id}/${c.id}`);
          return {
            check: c.id,
            use: r?.use ?? c.use ?? c.fn ?? "",
            weight: c.weight,
            isPreSatisfied: preSatisfied.has(`${t.scenario.id}/${t.task.id}/${c.id}`),
            status: r?.status ?? "error",
            message: r?.message ?? "the engine returned no result for this check",
            ...(r?.hint === undefined ? {} : { hint: r.hint }),
            evidence: r?.evidence ?? [],
            durationMs: r?.durationMs ?? 0,
          };
        }),
        results,
        text: examTaskText(t.scenario, t.task.id),
        answers: examTaskAnswers(t.scenario, t.task.id),
      };
    }),
  };
}

/**
 * What scoreExam takes from a grading: each task's checks with their weights, and each check's
 * result. Points and domains come from `tasks` (the sitting's, as the exam showed them).
 */
export function scoringInputOf(
  tasks: readonly Pick<ScoringTask, "scenario" | "task" | "domain" | "points">[],
  grading: ExamGrading,
): { tasks: ScoringTask[]; results: ScoringResult[] } {
  const gradedOf = new Map(grading.tasks.map((g) => [`${g.scenario}/${g.task}`, g]));
  return {
    tasks: tasks.map((t) => ({
      ...t,
      checks: (gradedOf.get(`${t.scenario}/${t.task}`)?.checks ?? []).map((c) => ({
        id: c.check,
        weight: c.weight,
        isPreSatisfied: c.isPreSatisfied,
      })),
    })),
    results: grading.tasks.flatMap((g) =>
      g.checks.map((c) => ({
        scenario: g.scenario,
        task: g.task,
        check: c.check,
        status: c.status,
        message: c.message,
      })),
    ),
  };
}

/**
 * The checks (`<scenario>/<task>/<check>`) that pass before the learner acts: those that pass over
 * the exam's setup read from files, all scenarios side by side as the exam sets them up
 * (lib/exams/exam-task-manifests.ts), and a task's preSatisfied where the exam sets it up as its
 * scenario does (every task before it is asked too, so no earlier solution is in the setup: the
 * scenario's preSatisfied speaks of that setup, and may name checks files cannot judge).
 */
async function passingAfterSetup(byScenario: ReadonlyMap<string, ExamTask[]>): Promise<Set<string>> {
  const parts = [...byScenario.values()].map((ts) => ({ scenario: ts[0].scenario, taskIds: ts.map((t) => t.task.id) }));
  const { cluster } = loadFileCluster(parts.flatMap((p) => examScenarioManifests(p.scenario, p.taskIds)));
  const out = new Set<string>();
  for (const p of parts) {
    p.scenario.tasks.forEach((t, i) => {
      const isSetUpAsInScenario = p.scenario.tasks.slice(0, i).every((x) => p.taskIds.includes(x.id));
      if (!p.taskIds.includes(t.id) || !isSetUpAsInScenario) return;
      for (const c of t.preSatisfied) out.add(`${p.scenario.id}/${t.id}/${c}`);
    });
    for (const r of await gradeScenario(cluster, p.scenario, p.taskIds)) {
      if (r.status === "pass") out.add(`${p.scenario.id}/${r.id}`);
    }
  }
  return out;
}

function groupByScenario(tasks: readonly ExamTask[]): Map<string, ExamTask[]> {
  const out = new Map<string, ExamTask[]>();
  for (const t of tasks) out.set(t.scenario.id, [...(out.get(t.scenario.id) ?? []), t]);
  return out;
}

/** Each scenario's grader: the active cluster's read-only credential, the bare cluster's for an install task. */
function scenarioGraders(): (scenario: Scenario) => ExamGrader {
  const active = resolveActiveCluster();
  const graders = new Map<string, ExamGrader>();
  return (scenario) => {
    const cluster = clusterForScenario(active, scenario);
    const known = graders.get(cluster.name) ?? { name: cluster.name, cluster: connectGrader(cluster) };
    graders.set(cluster.name, known);
    return known;
  };
}

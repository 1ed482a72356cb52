// An exam's score from its check results. Pure: no cluster, no database.
//
// A task's points are split among its checks by weight (evenly when no check has one), and each
// check that passes earns its share: partial credit. A check that already passes once the exam is
// set up (a guard such as "the other client is still denied") earns its share only when another
// check of the task passes too, so a task nobody answered scores 0. A skipped check (it needs what this cluster
// lacks, such as a data plane) leaves the split and its share goes to the task's other checks; a
// task whose every check was skipped is left out of the score. A check that errored (the cluster
// could not be read) says nothing about the answer, so any error means the exam is not graded at
// all: never graded as failed, and the learner can grade again.
import { AppError } from "../errors";
import { DOMAIN_IDS, type DomainId } from "../scenarios/curriculum";
import type { CheckStatus } from "../verify/types";

/** The pass mark when an exam names none: the real ICA's 68%. */
export const DEFAULT_PASS_PERCENT = 68;

/** How far below the pass mark a percent may fall from floating-point sums and still pass. */
const EPSILON = 1e-9;

/** One task of an exam as scoring sees it: its points, its domain and its checks' weights. */
export interface ScoringTask {
  scenario: string;
  task: string;
  domain: DomainId;
  points: number;
  /**
   * `weight` defaults to 1; `isPreSatisfied`: the check passes once the exam is set up, before the
   * learner does anything (the scenario's preSatisfied, or a guard an earlier task's solution in
   * the setup satisfies)
   */
  checks: readonly { id: string; weight?: number; isPreSatisfied?: boolean }[];
}

/** One check's result, by scenario, task and check id (the engine's `<taskId>/<checkId>` split up). */
export interface ScoringResult {
  scenario: string;
  task: string;
  check: string;
  status: CheckStatus;
  message: string;
}

export interface ScoredCheck {
  check: string;
  weight: number;
  status: CheckStatus;
  message: string;
  /** the points this check is worth in its task (0 when skipped) */
  worth: number;
  /** `worth` when it passed, else 0 */
  earned: number;
}

export interface TaskScore {
  scenario: string;
  task: string;
  domain: DomainId;
  /** the points the task counts for: its points, or 0 when no check of it could be judged */
  possible: number;
  earned: number;
  /** false when every check was skipped: the task is left out of the score */
  isJudged: boolean;
  /**
   * a check that the setup leaves failing passes (or the task has no such check): otherwise the
   * task earns nothing, whatever its pre-satisfied checks say
   */
  isAnswered: boolean;
  checks: ScoredCheck[];
}

export interface DomainScore {
  earned: number;
  possible: number;
  /** null when the exam has no points of the domain */
  percent: number | null;
}

export interface ErroredCheck {
  scenario: string;
  task: string;
  check: string;
  message: string;
}

export interface GradedScore {
  status: "graded";
  tasks: TaskScore[];
  domains: Record<DomainId, DomainScore>;
  earned: number;
  possible: number;
  percent: number;
  passPercent: number;
  passed: boolean;
}

export interface NotGradedScore {
  status: "not-graded";
  /** what to tell the learner: why, and that they can grade again */
  reason: string;
  /** the checks that could not run (none when nothing could be judged at all) */
  errored: ErroredCheck[];
}

export type ExamScore = GradedScore | NotGradedScore;

/**
 * Scores an exam: per task (points split by weight, partial credit), per domain, in total, and
 * passed when the percent reaches `passPercent` (default 68). A task nobody answered scores 0:
 * its checks fail, and those that pass from the setup alone (`isPreSatisfied`) earn nothing
 * until another check of the task passes. Any check that errored, or has no result, makes the score
 * `not-graded` with the reason and those checks. Throws AppError for tasks that cannot be scored
 * (listed twice, points or weights not positive), which the exam contract already refuses.
 */
export function scoreExam(
  exam: { tasks: readonly ScoringTask[]; passPercent?: number },
  results: readonly ScoringResult[],
): ExamScore {
  const passPercent = exam.passPercent ?? DEFAULT_PASS_PERCENT;
  const byCheck = new Map(results.map((r) => [keyOf(r.scenario, r.task, r.check), r]));
  assertScorable(exam.tasks);

  const errored: ErroredCheck[] = [];
  const tasks: TaskScore[] = exam.tasks.map((t) => {
    const checks = t.checks.map((c) => {
      const found = byCheck.get(keyOf(t.scenario, t.task, c.id));
      const status: CheckStatus = found?.status ?? "error";
      const message = found?.message ?? "no result for this check: it was not run";
      if (status === "error") errored.push({ scenario: t.scenario, task: t.task, check: c.id, message });
      return { check: c.id, weight: c.weight ?? 1, isPreSatisfied: c.isPreSatisfied === true, status, message };
    });
    return scoreTask(t, checks);
  });

  if (errored.length > 0) {
    const total = exam.tasks.reduce((n, t) => n + t.checks.length, 0);
    const why = [...new Set(errored.map((e) => e.message))].join("; ");
    return {
      status: "not-graded",
      reason: `${errored.length} of ${total} checks could not run, so the exam is not graded (grade again once they can): ${why}`,
      errored,
    };
  }
  const domains = domainScoresOf(tasks);
  const earned = sum(tasks.map((t) => t.earned));
  const possible = sum(tasks.map((t) => t.possible));
  if (possible === 0) {
    return {
      status: "not-graded",
      reason: "no check of the exam could be judged on this cluster (every one was skipped), so it is not graded",
      errored: [],
    };
  }
  const percent = (100 * earned) / possible;
  return {
    status: "graded",
    tasks,
    domains,
    earned,
    possible,
    percent,
    passPercent,
    passed: percent >= passPercent - EPSILON,
  };
}

/** Each domain's earned and possible points over the given task scores, and its percent. */
export function domainScoresOf(
  tasks: readonly Pick<TaskScore, "domain" | "earned" | "possible">[],
): Record<DomainId, DomainScore> {
  const out = Object.fromEntries(DOMAIN_IDS.map((d) => [d, { earned: 0, possible: 0, percent: null }])) as Record<
    DomainId,
    DomainScore
  >;
  for (const t of tasks) {
    out[t.domain].earned += t.earned;
    out[t.domain].possible += t.possible;
  }
  for (const d of DOMAIN_IDS) {
    const s = out[d];
    s.percent = s.possible === 0 ? null : (100 * s.earned) / s.possible;
  }
  return out;
}

function scoreTask(
  t: ScoringTask,
  checks: { check: string; weight: number; isPreSatisfied: boolean; status: CheckStatus; message: string }[],
): TaskScore {
  const judgedWeight = sum(checks.filter((c) => c.status !== "skipped").map((c) => c.weight));
  const isJudged = judgedWeight > 0;
  const isAnswered =
    checks.every((c) => c.isPreSatisfied) || checks.some((c) => c.status === "pass" && !c.isPreSatisfied);
  const counts = (c: { status: CheckStatus }) => c.status === "pass" && isAnswered;
  const scored = checks.map(({ isPreSatisfied: _, ...c }) => {
    const worth = c.status === "skipped" || !isJudged ? 0 : (t.points * c.weight) / judgedWeight;
    return { ...c, worth, earned: counts(c) ? worth : 0 };
  });
  const passedWeight = sum(checks.filter(counts).map((c) => c.weight));
  return {
    scenario: t.scenario,
    task: t.task,
    domain: t.domain,
    possible: isJudged ? t.points : 0,
    // one division, so a task whose checks all pass earns exactly its points
    earned: isJudged ? (t.points * passedWeight) / judgedWeight : 0,
    isJudged,
    isAnswered,
    checks: scored,
  };
}

function assertScorable(tasks: readonly ScoringTask[]): void {
  const seen = new Set<string>();
  for (const t of tasks) {
    const key = `${t.scenario}/${t.task}`;
    if (seen.has(key)) throw new AppError("invalid", `task ${key} is listed twice`);
    seen.add(key);
    if (!(t.points > 0))
      throw new AppError("invalid", `task ${key} has ${t.points} points: expected a positive number`);
    if (t.checks.length === 0) throw new AppError("invalid", `task ${key} has no checks`);
    for (const c of t.checks) {
      const w = c.weight ?? 1;
      if (!(w > 0) || !Number.isFinite(w)) {
        throw new AppError("invalid", `check ${key}/${c.id} has weight ${w}: expected a positive number`);
      }
    }
  }
}

function keyOf(scenario: string, task: string, check: string): string {
  return `${scenario}\n${task}\n${check}`;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

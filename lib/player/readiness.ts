// Readiness for the ICA from the learner's latest result per task. Pure: plain data in and out.
//
// How it is weighted like the exam:
// 1. A task's result is the share of its points it earned, scored as an exam scores a task
//    (scoreExam: the points split among the task's checks by weight, partial credit, a skipped
//    check leaves the split). A practice Check is scored that way from its checks' statuses; an
//    exam grading stored the task's score. The latest result that says something about the answer
//    counts, practice or exam: a Check with an error, or with every check skipped, is passed over.
// 2. A domain's readiness is the points earned over the points of every task of the catalog in
//    that domain, so a task never tried counts 0 (being ready for a domain means having done its
//    tasks); within a domain, tasks weigh by their points, as an exam's tasks do.
// 3. Overall readiness is the mean of the domains' readiness weighted by the curriculum weights
//    (install 20, traffic 35, security 25, troubleshooting 20, lib/scenarios/curriculum.ts): the
//    exam shares its points among domains by those weights, whatever number of scenarios the
//    catalog has per domain. A domain with no task in the catalog is left out of the mean.
import { scoreExam } from "../exams/score-exam";
import { DOMAIN_IDS, DOMAINS, type DomainId } from "../scenarios/curriculum";
import type { Scenario } from "../scenarios/schema";
import type { CheckStatus } from "../verify/types";

/** One task of the catalog, as readiness sees it. */
export interface CatalogTask {
  scenario: string;
  scenarioTitle: string;
  task: string;
  domain: DomainId;
  competency: string;
  points: number;
  /** `weight` defaults to 1 */
  checks: readonly { id: string; weight?: number }[];
}

/** A task's latest result that says something about the answer. */
export interface TaskResult {
  scenario: string;
  task: string;
  /** the share of the task's points earned, 0 to 1 */
  fraction: number;
  at: Date;
  source: "practice" | "exam";
}

/** A stored result: a practice Check's statuses, or an exam's task score (lib/progress/task-results.ts). */
export type TaskRecordInput =
  | {
      source: "practice";
      scenario: string;
      task: string;
      at: Date;
      /** ids `<taskId>/<checkId>` */
      results: readonly { checkId: string; status: string }[];
    }
  | { source: "exam"; scenario: string; task: string; at: Date; earned: number; possible: number };

export interface DomainReadiness {
  domain: DomainId;
  title: string;
  /** the curriculum weight, percent of the exam */
  weight: number;
  /** tasks of the catalog in the domain, and how many have a result */
  tasks: number;
  tried: number;
  /** the catalog's points in the domain, and the points the latest results earned of them */
  points: number;
  earned: number;
  /** earned of all the domain's points; null when the catalog has no task in the domain */
  percent: number | null;
  /** earned of the points of the tasks tried; null when none was tried */
  triedPercent: number | null;
}

export interface Readiness {
  domains: DomainReadiness[];
  /** the domains' percents weighted by the curriculum; null when the catalog is empty */
  overall: number | null;
  /** domains left out of `overall` because the catalog has no task in them */
  uncovered: DomainId[];
}

export function taskKey(scenario: string, task: string): string {
  return `${scenario}/${task}`;
}

/** The catalog's tasks, with their scenario's domain and competency. */
export function catalogTasksOf(
  scenarios: readonly Pick<Scenario, "id" | "title" | "domain" | "competency" | "tasks">[],
): CatalogTask[] {
  return scenarios.flatMap((s) =>
    s.tasks.map((t) => ({
      scenario: s.id,
      scenarioTitle: s.title,
      task: t.id,
      domain: s.domain,
      competency: s.competency,
      points: t.points,
      checks: t.checks.map((c) => ({ id: c.id, weight: c.weight })),
    })),
  );
}

/**
 * A practice Check's share of the task's points, as an exam would score it; undefined when it says
 * nothing of the answer: a check errored, every check was skipped, or a check of the task has no
 * result (the scenario changed since).
 */
export function scorePracticeRun(
  task: CatalogTask,
  results: readonly { checkId: string; status: string }[],
): number | undefined {
  const prefix = `${task.task}/`;
  const score = scoreExam(
    {
      tasks: [
        { scenario: task.scenario, task: task.task, domain: task.domain, points: task.points, checks: task.checks },
      ],
    },
    results
      .filter((r) => r.checkId.startsWith(prefix))
      .map((r) => ({
        scenario: task.scenario,
        task: task.task,
        check: r.checkId.slice(prefix.length),
        status: r.status as CheckStatus,
        message: "",
      })),
  );
  if (score.status !== "graded") return undefined;
  const [t] = score.tasks;
  return t.possible === 0 ? undefined : t.earned / t.possible;
}

/** A record's share of the task's points, or undefined when it says nothing of the answer. */
export function fractionOf(task: CatalogTask, record: TaskRecordInput): number | undefined {
  if (record.source === "practice") return scorePracticeRun(task, record.results);
  if (!(record.possible > 0)) return undefined;
  return Math.min(1, Math.max(0, record.earned / record.possible));
}

/**
 * The latest result per catalog task (key `scenario/task`) over practice Checks and exam gradings.
 * Records of tasks no longer in the catalog are ignored. On equal times the later record wins.
 */
export function latestTaskResults(
  tasks: readonly CatalogTask[],
  records: readonly TaskRecordInput[],
): Map<string, TaskResult> {
  const byKey = new Map(tasks.map((t) => [taskKey(t.scenario, t.task), t]));
  const latest = new Map<string, TaskResult>();
  for (const r of records) {
    const key = taskKey(r.scenario, r.task);
    const task = byKey.get(key);
    if (!task) continue;
    const seen = latest.get(key);
    if (seen && seen.at.getTime() > r.at.getTime()) continue;
    const fraction = fractionOf(task, r);
    if (fraction === undefined) continue;
    latest.set(key, { scenario: r.scenario, task: r.task, fraction, at: r.at, source: r.source });
  }
  return latest;
}

/** Readiness per domain and overall (see the weighting at the top of this file). */
export function computeReadiness(tasks: readonly CatalogTask[], latest: ReadonlyMap<string, TaskResult>): Readiness {
  const domains = DOMAIN_IDS.map((domain): DomainReadiness => {
    const inDomain = tasks.filter((t) => t.domain === domain);
    const tally = tallyOf(inDomain, latest);
    return {
      domain,
      title: DOMAINS[domain].title,
      weight: DOMAINS[domain].weight,
      tasks: inDomain.length,
      tried: tally.tried,
      points: tally.points,
      earned: tally.earned,
      percent: tally.points === 0 ? null : (100 * tally.earned) / tally.points,
      triedPercent: tally.triedPoints === 0 ? null : (100 * tally.earned) / tally.triedPoints,
    };
  });
  const covered = domains.filter((d) => d.percent !== null);
  const weights = covered.reduce((n, d) => n + d.weight, 0);
  return {
    domains,
    overall: weights === 0 ? null : covered.reduce((n, d) => n + d.weight * (d.percent ?? 0), 0) / weights,
    uncovered: domains.filter((d) => d.percent === null).map((d) => d.domain),
  };
}

export interface ScenarioStanding {
  id: string;
  title: string;
  tasks: number;
  tried: number;
  /** earned of the points of the tasks tried; null when none was tried */
  percent: number | null;
}

export interface CompetencyStanding {
  domain: DomainId;
  competency: string;
  tasks: number;
  tried: number;
  /** earned of the points of the tasks tried; null when none was tried */
  percent: number | null;
  /** earned of all the competency's points (untried tasks count 0) */
  readiness: number;
  /** its scenarios, the ones to practise first: tried and weakest, then untried, then mastered */
  scenarios: ScenarioStanding[];
}

/**
 * The competencies (each scenario's `competency`, the curriculum's words) by standing. `weakest`:
 * those tried and not mastered, lowest score on the tasks tried first, a heavier domain first on a
 * tie, at most `limit`. `untried`: those with no result yet, heavier domain first.
 */
export function weakestCompetencies(
  tasks: readonly CatalogTask[],
  latest: ReadonlyMap<string, TaskResult>,
  limit = 5,
): { weakest: CompetencyStanding[]; untried: CompetencyStanding[] } {
  const groups = new Map<string, CatalogTask[]>();
  for (const t of tasks) {
    const key = `${t.domain}\n${t.competency}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const standings = [...groups.values()].map((group): CompetencyStanding => {
    const { domain, competency } = group[0];
    const tally = tallyOf(group, latest);
    return {
      domain,
      competency,
      tasks: group.length,
      tried: tally.tried,
      percent: tally.triedPoints === 0 ? null : (100 * tally.earned) / tally.triedPoints,
      readiness: tally.points === 0 ? 0 : (100 * tally.earned) / tally.points,
      scenarios: scenarioStandings(group, latest),
    };
  });
  const byCurriculum = (a: CompetencyStanding, b: CompetencyStanding) =>
    DOMAINS[b.domain].weight - DOMAINS[a.domain].weight ||
    DOMAIN_IDS.indexOf(a.domain) - DOMAIN_IDS.indexOf(b.domain) ||
    competencyIndex(a) - competencyIndex(b);
  const weakest = standings
    .filter((c) => c.percent !== null && c.percent < 100 - 1e-9)
    .sort((a, b) => (a.percent ?? 0) - (b.percent ?? 0) || byCurriculum(a, b))
    .slice(0, limit);
  const untried = standings.filter((c) => c.tried === 0).sort(byCurriculum);
  return { weakest, untried };
}

function scenarioStandings(group: readonly CatalogTask[], latest: ReadonlyMap<string, TaskResult>) {
  const ids = [...new Set(group.map((t) => t.scenario))];
  const out = ids.map((id): ScenarioStanding => {
    const own = group.filter((t) => t.scenario === id);
    const tally = tallyOf(own, latest);
    return {
      id,
      title: own[0].scenarioTitle,
      tasks: own.length,
      tried: tally.tried,
      percent: tally.triedPoints === 0 ? null : (100 * tally.earned) / tally.triedPoints,
    };
  });
  // weakest tried first, then untried, then mastered; the catalog's order within each
  const rank = (s: ScenarioStanding) => (s.percent === null ? 100 : s.percent >= 100 - 1e-9 ? 101 : s.percent);
  return out.sort((a, b) => rank(a) - rank(b));
}

function competencyIndex(c: Pick<CompetencyStanding, "domain" | "competency">): number {
  const list: readonly string[] = DOMAINS[c.domain].competencies;
  const i = list.indexOf(c.competency);
  return i === -1 ? list.length : i;
}

function tallyOf(tasks: readonly CatalogTask[], latest: ReadonlyMap<string, TaskResult>) {
  let points = 0;
  let triedPoints = 0;
  let earned = 0;
  let tried = 0;
  for (const t of tasks) {
    points += t.points;
    const r = latest.get(taskKey(t.scenario, t.task));
    if (!r) continue;
    tried++;
    triedPoints += t.points;
    earned += t.points * r.fraction;
  }
  return { points, triedPoints, earned, tried };
}

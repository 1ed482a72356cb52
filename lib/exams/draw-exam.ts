// The random exam: tasks drawn from the catalog by domain weight (points), none of scenarios that
// may not be set up side by side, the same exam for the same seed.
import { AppError } from "../errors";
import { conflicts } from "../scenarios/conflicts";
import { DOMAIN_IDS, DOMAINS, type DomainId } from "../scenarios/curriculum";
import type { ResolvedTask, Scenario, TExamFile, TExamTaskRef } from "../scenarios/schema";
import { domainShares, sharesOffWeight } from "./domain-shares";
import { seededRandom } from "./seeded-random";

/** How many draws to try before giving up on a catalog that cannot make an exam. */
const ATTEMPTS = 500;

interface Candidate {
  scenario: Scenario;
  task: ResolvedTask;
  /** the task's place in its scenario */
  order: number;
  /** the solutions before it answer it (answered-at-setup.ts): drawn only after every task before it */
  needsEarlier: boolean;
}

/**
 * A random exam of 16 or 17 tasks: each next task from the domain furthest below its weight
 * (chosen at random in proportion to how far below), a task at random among that domain's
 * tasks whose scenario may be set up beside those drawn so far; a draw whose shares end more
 * than 5 points from the weights is drawn again. Tasks of one scenario keep its order. A task in
 * `answeredAtSetup` (`<scenario>/<task>`) is drawn only after every task before it in its
 * scenario, since their solutions in the exam's setup would answer it.
 * Deterministic for a seed (seededRandom, mulberry32); throws AppError when the catalog cannot
 * make such an exam.
 */
export function drawExam(
  catalog: readonly Scenario[],
  seed: number,
  answeredAtSetup: ReadonlySet<string> = new Set(),
): TExamFile {
  const random = seededRandom(seed);
  const size = 16 + Math.floor(random() * 2);
  const pool = catalog.flatMap((scenario) =>
    scenario.tasks.map((task, order) => ({
      scenario,
      task,
      order,
      needsEarlier: answeredAtSetup.has(`${scenario.id}/${task.id}`),
    })),
  );
  const isClash = conflictTable(catalog);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const drawn = drawTasks(pool, size, random, isClash);
    if (drawn === undefined) continue;
    const shares = domainShares(drawn.map((c) => ({ domain: c.scenario.domain, points: c.task.points })));
    if (sharesOffWeight(shares).length > 0) continue;
    return {
      id: `random-${seed >>> 0}`,
      title: `Random exam (seed ${seed >>> 0})`,
      minutes: 120,
      passPercent: 68,
      tasks: inScenarioOrder(drawn),
    };
  }
  throw new AppError("invalid", `the catalog cannot make an exam of ${size} tasks within the domain weights`);
}

function drawTasks(
  pool: readonly Candidate[],
  size: number,
  random: () => number,
  isClash: (a: string, b: string) => boolean,
): Candidate[] | undefined {
  const meanPoints = pool.reduce((sum, c) => sum + c.task.points, 0) / Math.max(1, pool.length);
  const drawn: Candidate[] = [];
  const points = Object.fromEntries(DOMAIN_IDS.map((d) => [d, 0])) as Record<DomainId, number>;
  let total = 0;
  while (drawn.length < size) {
    const eligible = pool.filter(
      (c) =>
        !drawn.includes(c) &&
        drawn.every((d) => !isClash(d.scenario.id, c.scenario.id)) &&
        (!c.needsEarlier || drawnBefore(drawn, c) === c.order),
    );
    const open = DOMAIN_IDS.filter((d) => eligible.some((c) => c.scenario.domain === d));
    if (open.length === 0) return undefined;
    // how many points each domain lacks if the next task were an average one
    const lack = open.map((d) => Math.max(0, (DOMAINS[d].weight / 100) * (total + meanPoints) - points[d]));
    const domain = lack.some((l) => l > 0)
      ? open[pickWeighted(lack, random)]
      : open[Math.floor(random() * open.length)];
    const inDomain = eligible.filter((c) => c.scenario.domain === domain);
    const pick = inDomain[Math.floor(random() * inDomain.length)];
    drawn.push(pick);
    points[domain] += pick.task.points;
    total += pick.task.points;
  }
  return drawn;
}

/** How many tasks of the candidate's scenario that come before it are drawn. */
function drawnBefore(drawn: readonly Candidate[], c: Candidate): number {
  return drawn.filter((d) => d.scenario.id === c.scenario.id && d.order < c.order).length;
}

/** An index at random, in proportion to the weights (some positive). */
function pickWeighted(weights: readonly number[], random: () => number): number {
  let r = random() * weights.reduce((sum, w) => sum + w, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0 && weights[i] > 0) return i;
  }
  return weights.findLastIndex((w) => w > 0);
}

/** Two different scenarios that may not be set up side by side (computed once per pair). */
function conflictTable(catalog: readonly Scenario[]): (a: string, b: string) => boolean {
  const clashing = new Set<string>();
  for (const a of catalog) {
    for (const b of catalog) {
      if (a.id < b.id && conflicts(a, b).length > 0) clashing.add(`${a.id} ${b.id}`);
    }
  }
  return (a, b) => a !== b && clashing.has(a < b ? `${a} ${b}` : `${b} ${a}`);
}

/** The drawn order, except that tasks of one scenario follow each other in the scenario's order. */
function inScenarioOrder(drawn: readonly Candidate[]): TExamTaskRef[] {
  const firstSeen = new Map<string, number>();
  drawn.forEach((c, i) => {
    if (!firstSeen.has(c.scenario.id)) firstSeen.set(c.scenario.id, i);
  });
  return [...drawn]
    .sort((a, b) => (firstSeen.get(a.scenario.id) ?? 0) - (firstSeen.get(b.scenario.id) ?? 0) || a.order - b.order)
    .map((c) => ({ scenario: c.scenario.id, task: c.task.id }));
}

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { resolveActiveCluster } from "../cluster/active-cluster";
import { clusterForScenario } from "../cluster/bare-cluster";
import { missingNamespaces } from "../cluster/scenario-objects";
import { startAttempt } from "../progress/attempts";
import { latestTaskProgress } from "../progress/check-runs";
import { getDb } from "../progress/db";
import { ensureLearner } from "../progress/learners";
import { scenarioStatuses } from "../progress/scenario-status";
import type { TaskState } from "../progress/task-state";
import { loadCatalog } from "../scenarios/load-catalog";
import { loadScenario } from "../scenarios/load-scenario";
import { formatContentError, type Scenario, ZScenarioId } from "../scenarios/schema";
import { answerFilePaths } from "../scenarios/solution-files";
import { checkErrors } from "./catalog-view";
import { type TaskCheckView, taskCheckViewOf } from "./check-view";
import { ensureDatabase } from "./ensure-database";
import { type NextScenario, nextScenarios } from "./next-scenarios";

export interface SolutionView {
  files: { name: string; text: string }[];
  explanation?: string;
}

export interface ClusterView {
  driver: "lite" | "kind" | "current" | "none";
  name: string;
  /** every scenario namespace exists; null when the cluster could not be asked (or did not answer within 3 s) */
  prepared: boolean | null;
  problem?: string;
  /** the bare cluster of an install task */
  bare?: boolean;
}

export type ScenarioView =
  | {
      ok: true;
      scenario: Scenario;
      /** when the attempt started or was last reset (a reset starts over): the timer counts from here */
      startedAt: string;
      /** how often the scenario was set up or reset: the task panels start over when it changes */
      resets: number;
      /** each task's latest Check since the last reset */
      checks: Record<string, TaskCheckView>;
      /** each task's latest state that says something about the answer (an error never lowers it) */
      reached: Record<string, TaskState>;
      /** Check presses since the last reset */
      checkCount: number;
      /** what to practise after this one */
      next: NextScenario[];
      solutions: Record<string, SolutionView>;
      cluster: ClusterView;
    }
  | { ok: false; id: string; errors: string[] };

/** Everything the player page shows; null when no such scenario exists. */
export async function getScenarioView(id: string): Promise<ScenarioView | null> {
  if (!ZScenarioId.safeParse(id).success) return null;
  const loaded = loadScenario(id);
  if (!loaded.ok) {
    if (loaded.errors.some((e) => e.message === "no scenario.yaml in this folder")) return null;
    return { ok: false, id, errors: loaded.errors.map(formatContentError) };
  }
  const scenario = loaded.scenario;
  // As the catalog lists it: a check that does not exist makes the scenario broken.
  const checkProblems = checkErrors(scenario);
  if (checkProblems.length > 0) return { ok: false, id, errors: checkProblems.map(formatContentError) };
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const catalog = loadCatalog().flatMap((r) => (r.ok ? [r.scenario] : []));
  const [attempt, progress, cluster, statuses] = await Promise.all([
    startAttempt(db, learner.id, id),
    latestTaskProgress(db, learner.id, id),
    describeCluster(scenario),
    scenarioStatuses(db, learner.id, Object.fromEntries(catalog.map((s) => [s.id, s.tasks.length]))),
  ]);
  const checks = Object.fromEntries(progress.map((p) => [p.taskId, taskCheckViewOf(p)]));
  const solutions = Object.fromEntries(
    scenario.tasks.map((t) => [t.id, readSolution(scenario, t.solution, t.explanation)]),
  );
  return {
    ok: true,
    scenario,
    startedAt: (attempt.resetAt ?? attempt.startedAt).toISOString(),
    resets: attempt.resets,
    checks,
    reached: Object.fromEntries(progress.flatMap((p) => (p.reached ? [[p.taskId, p.reached]] : []))),
    checkCount: progress.reduce((n, p) => n + p.checks, 0),
    next: nextScenarios(scenario, catalog, statuses),
    solutions,
    cluster,
  };
}

/** How long the page waits for the cluster before it renders without knowing (the bar says so). */
const CLUSTER_ANSWER_MS = 3_000;

async function describeCluster(scenario: Scenario): Promise<ClusterView> {
  const active = clusterForScenario(resolveActiveCluster(), scenario);
  if (active.driver === "none") return { driver: "none", name: "none", prepared: null };
  // The bare cluster is started by the scenario's setup (it starts over from bare every time), so
  // one that is down or does not answer only means "not set up".
  const notSetUp: ClusterView = { driver: "lite", name: active.name, prepared: false, bare: true };
  if (active.bare && !existsSync(/* turbopackIgnore: true */ active.kubeconfig ?? "")) return notSetUp;
  try {
    const missing = await missingNamespaces(active, scenario.namespaces, CLUSTER_ANSWER_MS);
    return {
      driver: active.driver,
      name: active.name,
      prepared: missing.length === 0,
      ...(active.bare ? { bare: true } : {}),
    };
  } catch (e) {
    if (active.bare) return notSetUp;
    return { driver: active.driver, name: active.name, prepared: null, problem: (e as Error).message };
  }
}

function readSolution(scenario: Scenario, target: string, explanation: string | undefined): SolutionView {
  const files = existsSync(target) ? answerFilePaths(target) : [];
  return {
    files: files.map((f) => ({ name: path.relative(scenario.dir, f), text: readFileSync(f, "utf8") })),
    explanation,
  };
}

import { DEFAULT_PASS_PERCENT } from "../exams/score-exam";
import { getDb } from "../progress/db";
import { listFinishedExams } from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import { listTaskRecords } from "../progress/task-results";
import { loadCatalog } from "../scenarios/load-catalog";
import { checkErrors } from "./catalog-view";
import { ensureDatabase } from "./ensure-database";
import {
  type CompetencyStanding,
  catalogTasksOf,
  computeReadiness,
  latestTaskResults,
  type Readiness,
  weakestCompetencies,
} from "./readiness";
import { type HistoryEntry, scoreHistory } from "./score-history";

export interface DashboardView {
  readiness: Readiness;
  /** the exam's pass mark, to read readiness against */
  passPercent: number;
  history: HistoryEntry[];
  weakest: CompetencyStanding[];
  untried: CompetencyStanding[];
  /** catalog tasks with a result */
  tried: number;
  tasks: number;
}

/** The learner's readiness per domain, scores over time and weakest competencies, over the catalog that loads. */
export async function getDashboardView(): Promise<DashboardView> {
  // the catalog's scenarios, as the catalog page counts them (a broken one is not offered there)
  const scenarios = loadCatalog().flatMap((r) => (r.ok && checkErrors(r.scenario).length === 0 ? [r.scenario] : []));
  const tasks = catalogTasksOf(scenarios);
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const [records, exams] = await Promise.all([listTaskRecords(db, learner.id), listFinishedExams(db, learner.id)]);
  const latest = latestTaskResults(tasks, records);
  const { weakest, untried } = weakestCompetencies(tasks, latest);
  return {
    readiness: computeReadiness(tasks, latest),
    passPercent: DEFAULT_PASS_PERCENT,
    history: scoreHistory(tasks, records, exams),
    weakest,
    untried,
    tried: latest.size,
    tasks: tasks.length,
  };
}

// The exams page: the fixed exams (exams/<id>.yaml) with their size, time, pass mark and domain
// shares; the running sitting to resume; the finished ones with their reports.
import { domainShares } from "../exams/domain-shares";
import { listExamFiles, loadExam } from "../exams/load-exam";
import { resolveExamTasks } from "../exams/resolve-exam";
import { getDb } from "../progress/db";
import { type ExamSummary, findRunningExam, listFinishedExams } from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import type { DomainId } from "../scenarios/curriculum";
import { loadCatalog } from "../scenarios/load-catalog";
import { settleExpiredExam } from "./end-exam";
import { ensureDatabase } from "./ensure-database";

export interface ExamCard {
  id: string;
  title: string;
  tasks: number;
  minutes: number;
  passPercent: number;
  points: number;
  /** each domain's share of the points, in percent */
  shares: Record<DomainId, number>;
}

export interface ExamsView {
  exams: ExamCard[];
  /** exam files that do not load or name tasks the catalog lacks */
  broken: { id: string; message: string }[];
  /** the learner's running sitting, to resume */
  running: { id: string; title: string; remainingMs: number; tasks: number } | null;
  /** finished sittings, the latest first */
  finished: ExamSummary[];
  /** a sitting whose deadline had passed could not be graded (why) */
  gradingError: string | null;
}

export async function getExamsView(now: Date = new Date()): Promise<ExamsView> {
  await ensureDatabase();
  const settled = await settleExpiredExam(now);
  const db = getDb();
  const learner = await ensureLearner(db);
  const [running, finished] = await Promise.all([
    findRunningExam(db, learner.id, now),
    listFinishedExams(db, learner.id),
  ]);
  const catalog = loadCatalog();
  const exams: ExamCard[] = [];
  const broken: ExamsView["broken"] = [];
  for (const file of listExamFiles()) {
    const loaded = loadExam(file);
    if (!loaded.ok) {
      broken.push({ id: loaded.id, message: loaded.errors.map((e) => e.message).join("; ") });
      continue;
    }
    const { exam } = loaded;
    const { tasks, problems } = resolveExamTasks(exam.tasks, catalog);
    if (problems.length > 0) {
      broken.push({ id: exam.id, message: problems.map((p) => p.message).join("; ") });
      continue;
    }
    const points = tasks.map((t) => ({ domain: t.scenario.domain, points: t.task.points }));
    exams.push({
      id: exam.id,
      title: exam.title,
      tasks: tasks.length,
      minutes: exam.minutes,
      passPercent: exam.passPercent,
      points: points.reduce((sum, t) => sum + t.points, 0),
      shares: domainShares(points),
    });
  }
  return {
    exams,
    broken,
    running: running
      ? { id: running.id, title: running.title, remainingMs: running.remainingMs, tasks: running.tasks.length }
      : null,
    finished: [...finished].reverse(),
    gradingError: settled.settled && "error" in settled ? settled.error.message : null,
  };
}

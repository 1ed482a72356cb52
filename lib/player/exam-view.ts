import { type ExamTaskText, examTaskText } from "../exams/exam-task-content";
import { getDb } from "../progress/db";
import {
  type ExamSession,
  type ExamSessionTask,
  type ExamSummary,
  findRunningExam,
  flagExamTask,
  listFinishedExams,
  readExamSession,
} from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import { loadScenario } from "../scenarios/load-scenario";
import type { Scenario } from "../scenarios/schema";
import { ensureDatabase } from "./ensure-database";

/**
 * What the exam page shows while an exam runs: the sitting (time left, flags) and each task's
 * text, points and docs link. It holds no check result, hint, solution or explanation, so it may
 * be sent to the browser as it is.
 */
export interface ExamView extends Omit<ExamSession, "tasks"> {
  tasks: (ExamSessionTask & { text: ExamTaskText | null })[];
}

/** One of the learner's exams with the time left at `now`; AppError `not-found` for none. */
export async function getExamView(sessionId: string, now: Date = new Date()): Promise<ExamView> {
  const { db, learnerId } = await learnerDb();
  return examViewOf(await readExamSession(db, learnerId, sessionId, now));
}

/** The learner's running exam, if any: where a reload, a new tab or a restarted server picks up. */
export async function getRunningExamView(now: Date = new Date()): Promise<ExamView | undefined> {
  const { db, learnerId } = await learnerDb();
  const session = await findRunningExam(db, learnerId, now);
  return session ? examViewOf(session) : undefined;
}

/** Flags (or unflags) a task of the running exam for review, by its 0-based position. */
export async function flagExamTaskForReview(
  sessionId: string,
  position: number,
  flagged: boolean,
): Promise<{ position: number; flagged: boolean }> {
  const { db, learnerId } = await learnerDb();
  return flagExamTask(db, learnerId, sessionId, position, flagged);
}

/** The learner's finished exams, oldest first, with scores and domains: the dashboard's history. */
export async function getExamHistory(): Promise<ExamSummary[]> {
  const { db, learnerId } = await learnerDb();
  return listFinishedExams(db, learnerId);
}

function examViewOf(session: ExamSession): ExamView {
  const scenarios = new Map<string, Scenario | null>();
  return {
    ...session,
    tasks: session.tasks.map((t) => {
      if (!scenarios.has(t.scenario)) {
        const loaded = loadScenario(t.scenario);
        scenarios.set(t.scenario, loaded.ok ? loaded.scenario : null);
      }
      const scenario = scenarios.get(t.scenario);
      const hasTask = scenario?.tasks.some((x) => x.id === t.task) ?? false;
      return { ...t, text: scenario && hasTask ? examTaskText(scenario, t.task) : null };
    }),
  };
}

async function learnerDb() {
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  return { db, learnerId: learner.id };
}

import { type ExamTaskAnswers, type ExamTaskText, examTaskAnswers, examTaskText } from "../exams/exam-task-content";
import { getDb } from "../progress/db";
import { readExamResult, type StoredExamResult, type StoredExamTask } from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import { loadScenario } from "../scenarios/load-scenario";
import type { Scenario } from "../scenarios/schema";
import { ensureDatabase } from "./ensure-database";

export interface ExamReportTask extends StoredExamTask {
  /** the task as the exam showed it; null when its scenario no longer loads */
  text: ExamTaskText | null;
  /**
   * hints, solution files, explanation and other correct answers: only once the exam is graded
   * (a not-graded exam may be graded again, on the cluster as the learner left it); null before,
   * or when the scenario no longer has the task
   */
  answers: ExamTaskAnswers | null;
}

/** A finished exam's report: score, pass, per domain and per task, each check's result and reason, then the answers. */
export interface ExamReport extends Omit<StoredExamResult, "tasks"> {
  tasks: ExamReportTask[];
}

/**
 * The report of one of the learner's finished exams, from the progress store and the scenarios'
 * files. AppError `invalid` while the exam runs (nothing of its grade reaches the page before
 * its end), `not-found` for no such exam.
 */
export async function getExamReport(sessionId: string, now: Date = new Date()): Promise<ExamReport> {
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  return examReportOf(await readExamResult(db, learner.id, sessionId, now));
}

/** A stored result with each task's text, and its answers once graded. */
export function examReportOf(result: StoredExamResult): ExamReport {
  const scenarios = new Map<string, Scenario | null>();
  const scenarioOf = (id: string) => {
    if (!scenarios.has(id)) {
      const loaded = loadScenario(id);
      scenarios.set(id, loaded.ok ? loaded.scenario : null);
    }
    return scenarios.get(id) ?? null;
  };
  return {
    ...result,
    tasks: result.tasks.map((t) => {
      const scenario = scenarioOf(t.scenario);
      const hasTask = scenario?.tasks.some((x) => x.id === t.task) ?? false;
      return {
        ...t,
        text: scenario && hasTask ? examTaskText(scenario, t.task) : null,
        answers: scenario && hasTask && result.status === "graded" ? examTaskAnswers(scenario, t.task) : null,
      };
    }),
  };
}

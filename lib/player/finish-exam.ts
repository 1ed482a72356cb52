import { AppError } from "../errors";
import { gradeExam, scoringInputOf } from "../exams/grade-exam";
import { scoreExam } from "../exams/score-exam";
import { getDb } from "../progress/db";
import { readExamSession, recordExamGrading } from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import { ensureDatabase } from "./ensure-database";
import { type ExamReport, examReportOf } from "./exam-report";

/**
 * Ends an exam (the learner's "finish", or time running out) and grades it: every check of every
 * task once on the active cluster as it is now, scored with partial credit, stored in one
 * transaction, and returned as the report. After the deadline the grade is still taken now, and
 * the exam records that time ran out. When a check could not run (the cluster is down) the report
 * says "not graded" with the reason and the checks; calling this again grades again. AppError
 * `invalid` for an exam already graded, `not-found` for no such exam, `unavailable` when a task's
 * scenario no longer loads (nothing is stored then).
 */
export async function finishExam(sessionId: string, now: Date = new Date()): Promise<ExamReport> {
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const session = await readExamSession(db, learner.id, sessionId, now);
  if (session.status === "graded") throw new AppError("invalid", `exam '${sessionId}' is already graded`);

  const grading = await gradeExam(session.tasks);
  const { tasks, results } = scoringInputOf(session.tasks, grading);
  const score = scoreExam({ tasks, passPercent: session.passPercent }, results);
  const stored = await recordExamGrading(db, learner.id, sessionId, {
    at: now,
    cluster: grading.cluster,
    tasks: grading.tasks.map((t) => ({ scenario: t.scenario, task: t.task, results: t.results })),
    score,
  });
  return examReportOf(stored);
}

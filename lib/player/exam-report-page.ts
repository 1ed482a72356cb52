import { getDb } from "../progress/db";
import { readExamSession } from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import { settleExpiredExam } from "./end-exam";
import { type ExamReport, getExamReport } from "./exam-report";

/** The report page: the report of a finished sitting, or that it still runs (the page goes back to it). */
export type ExamReportPage = { state: "running" } | { state: "finished"; report: ExamReport };

/**
 * One of the learner's sittings for its report page. A sitting past its deadline is graded first.
 * AppError `not-found` for no such sitting.
 */
export async function getExamReportPage(sessionId: string, now: Date = new Date()): Promise<ExamReportPage> {
  await settleExpiredExam(now);
  const db = getDb();
  const learner = await ensureLearner(db);
  const session = await readExamSession(db, learner.id, sessionId, now);
  if (session.status === "running") return { state: "running" };
  return { state: "finished", report: await getExamReport(sessionId, now) };
}

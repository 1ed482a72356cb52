// Ending an exam: the learner's End exam, or its deadline found passed by the page or by any
// request (settleExpiredExam). The exam's terminal closes first, and its shell's processes are
// gone before the cluster is read, so nothing typed changes what is graded; then every check of
// every task is graded once (finishExam). One grading at a time per sitting: a second caller
// waits for the first one's.
import { AppError } from "../errors";
import { getDb } from "../progress/db";
import { findRunningExam, flagExamTask, readExamSession } from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import { getGlobalSingleton } from "../terminal/global-singleton";
import { closeTerminalSession } from "../terminal/terminal-sessions";
import { revokeTerminalTokens } from "../terminal/terminal-tokens";
import { ensureDatabase } from "./ensure-database";
import { type ExamReport, getExamReport } from "./exam-report";
import { finishExam } from "./finish-exam";

// on globalThis: the grading in flight is the same for every copy of this module
const inFlight = () => getGlobalSingleton("ica-practice.exams.grading", () => new Map<string, Promise<ExamReport>>());

/**
 * Ends the sitting and grades it, or grades it again after a "not graded"; a graded sitting is
 * not graded again (its report is returned). A finish after the deadline is graded now and records
 * that time ran out. AppError `not-found` for no such sitting of the learner, `unavailable` when a
 * task's scenario no longer loads (nothing is stored then).
 */
export async function endExam(sessionId: string, now: Date = new Date()): Promise<ExamReport> {
  const running = inFlight().get(sessionId);
  if (running) return running;
  const grading = gradeSitting(sessionId, now).finally(() => inFlight().delete(sessionId));
  inFlight().set(sessionId, grading);
  return grading;
}

async function gradeSitting(sessionId: string, now: Date): Promise<ExamReport> {
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const session = await readExamSession(db, learner.id, sessionId, now);
  if (session.status === "graded") return getExamReport(sessionId, now);
  const target = { kind: "exam", id: sessionId } as const;
  revokeTerminalTokens(target);
  await closeTerminalSession(target, session.isTimeUp ? "time is up: the exam is over" : "the exam has ended");
  return finishExam(sessionId, now);
}

/** What settleExpiredExam did: nothing was due, or it graded a sitting (or tried, and why it could not). */
export type SettledExam =
  | { settled: false }
  | { settled: true; sessionId: string; report: ExamReport }
  | { settled: true; sessionId: string; error: AppError };

/**
 * The deadline, enforced whenever the server is asked anything about exams or practice: the
 * learner's running sitting whose deadline has passed is ended and graded now. A grading that
 * cannot run (a scenario no longer loads) is returned as the error, so the caller can still answer.
 */
export async function settleExpiredExam(now: Date = new Date()): Promise<SettledExam> {
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const running = await findRunningExam(db, learner.id, now);
  if (!running?.isTimeUp) return { settled: false };
  try {
    return { settled: true, sessionId: running.id, report: await endExam(running.id, now) };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { settled: true, sessionId: running.id, error: e };
  }
}

/**
 * Practice steps (Check, Reset, Prepare) wait until the exam ends: a Check would show results the
 * exam keeps back, and a Reset would undo the exam's setup or the learner's answers. A sitting past
 * its deadline is graded first, and then no longer stands in the way. AppError `forbidden`.
 */
export async function refuseDuringExam(what: string, now: Date = new Date()): Promise<void> {
  await settleExpiredExam(now);
  const db = getDb();
  const learner = await ensureLearner(db);
  const running = await findRunningExam(db, learner.id, now);
  if (running) {
    throw new AppError("forbidden", `${what} waits until the exam ends: '${running.title}' is running (see /exams)`);
  }
}

/** What the page learns from asking to end: the outcome, never the results themselves. */
export type ExamEndOutcome =
  | { status: "graded" | "not-graded"; reason: string | null }
  /** asked at the deadline, but the server's clock says time is left: the page counts this down */
  | { status: "running"; remainingMs: number };

/**
 * The page's End exam (`atDeadline: false`) or its countdown reaching zero (`atDeadline: true`,
 * honoured only once the server's deadline has passed). Grades as endExam does.
 */
export async function requestExamEnd(
  sessionId: string,
  { atDeadline }: { atDeadline: boolean },
  now: Date = new Date(),
): Promise<ExamEndOutcome> {
  if (atDeadline) {
    await ensureDatabase();
    const db = getDb();
    const learner = await ensureLearner(db);
    const session = await readExamSession(db, learner.id, sessionId, now);
    if (session.status === "running" && !session.isTimeUp)
      return { status: "running", remainingMs: session.remainingMs };
  }
  const report = await endExam(sessionId, now);
  return { status: report.status, reason: report.reason };
}

/**
 * Flags (or unflags) a task of the running sitting for review. A sitting past its deadline is
 * graded first, and then refuses: AppError `invalid` (the exam is over), `not-found`.
 */
export async function flagTaskForReview(
  sessionId: string,
  position: number,
  flagged: boolean,
  now: Date = new Date(),
): Promise<{ position: number; flagged: boolean }> {
  await settleExpiredExam(now);
  const db = getDb();
  const learner = await ensureLearner(db);
  return flagExamTask(db, learner.id, sessionId, position, flagged);
}

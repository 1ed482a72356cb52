// What the exam page receives while an exam runs, and nothing more: each task's text, points,
// domain and documentation page, the flags and the time left. It is built field by field from
// the sitting (never spread), so nothing added to the sitting or to a task's content later (a
// check, a hint, a solution, an explanation, a score) reaches the browser by accident.
import type { DomainId } from "../scenarios/curriculum";
import { settleExpiredExam } from "./end-exam";
import { type ExamView, getExamView } from "./exam-view";

export interface ExamPageTask {
  /** 0-based, the exam's order */
  position: number;
  title: string;
  /** the task's Markdown (vars substituted); null when its scenario no longer loads */
  markdown: string | null;
  points: number;
  domain: DomainId;
  /** the istio.io (or kubernetes.io) page the task is about */
  docs: string | null;
  /** the kubeconfig context to do the task in (an install task's bare cluster); null: the terminal's own */
  context: string | null;
  flagged: boolean;
}

export interface ExamPageView {
  /** the sitting's id */
  id: string;
  title: string;
  minutes: number;
  passPercent: number;
  /** ISO time: the server's deadline */
  endsAt: string;
  /** milliseconds left when the server read the sitting: the page counts down from this */
  remainingMs: number;
  totalPoints: number;
  tasks: ExamPageTask[];
}

/** The page's view of a running sitting (pure). */
export function examPageViewOf(view: ExamView): ExamPageView {
  return {
    id: view.id,
    title: view.title,
    minutes: view.minutes,
    passPercent: view.passPercent,
    endsAt: view.endsAt.toISOString(),
    remainingMs: view.remainingMs,
    totalPoints: view.tasks.reduce((sum, t) => sum + t.points, 0),
    tasks: view.tasks.map((t) => ({
      position: t.position,
      title: t.text?.title ?? `Task ${t.position + 1} (its scenario does not load)`,
      markdown: t.text?.markdown ?? null,
      points: t.points,
      domain: t.domain,
      docs: t.text?.docs ?? null,
      context: t.text?.context ?? null,
      flagged: t.flagged,
    })),
  };
}

/** What the exam page shows: the running sitting, or that it is over (the page goes to the report). */
export type ExamPage =
  | { state: "running"; view: ExamPageView }
  | { state: "finished" }
  /** the deadline passed, and the grading could not run (why) */
  | { state: "time-up"; error: string };

/**
 * One of the learner's sittings for the exam page. A sitting past its deadline is graded first
 * (the deadline holds even when nobody was looking). AppError `not-found` for no such sitting.
 */
export async function getExamPage(sessionId: string, now: Date = new Date()): Promise<ExamPage> {
  const settled = await settleExpiredExam(now);
  if (settled.settled && settled.sessionId === sessionId && "error" in settled) {
    return { state: "time-up", error: settled.error.message };
  }
  const view = await getExamView(sessionId, now);
  if (view.status !== "running") return { state: "finished" };
  return { state: "running", view: examPageViewOf(view) };
}

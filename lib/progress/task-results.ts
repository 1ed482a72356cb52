// Every stored result of a task the learner has, for the readiness dashboard: each practice Check
// (a CheckRun of a learn attempt, with its checks' statuses) and each task score of a graded exam.
// Scoring them is the dashboard's business (lib/player/readiness.ts); this only reads.
import type { Db } from "./db";

/** One Check of a task in practice. */
export interface PracticeTaskRun {
  source: "practice";
  attemptId: string;
  scenario: string;
  task: string;
  /** when the Check read the cluster */
  at: Date;
  /** every check's result, in the engine's order; ids are `<taskId>/<checkId>` */
  results: { checkId: string; status: string }[];
}

/** One task of a graded exam sitting, as its latest grading scored it. */
export interface ExamTaskScore {
  source: "exam";
  /** the sitting's id (its report is /exams/sitting/<id>/report) */
  sittingId: string;
  scenario: string;
  task: string;
  /** when the grading read the cluster */
  at: Date;
  earned: number;
  /** the task's points in the exam; 0 when every check was skipped */
  possible: number;
}

export type TaskRecord = PracticeTaskRun | ExamTaskScore;

/**
 * The learner's practice Checks (every one, resets included: a reset clears the cluster, not what
 * the learner showed) and the task scores of their graded exams, oldest first. Exams that were not
 * graded (a check errored) say nothing of the answers and are left out.
 */
export async function listTaskRecords(db: Db, learnerId: string): Promise<TaskRecord[]> {
  const [runs, examTasks] = await Promise.all([
    db.checkRun.findMany({
      where: { attempt: { learnerId, mode: "learn" } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        attemptId: true,
        taskId: true,
        createdAt: true,
        attempt: { select: { scenarioId: true } },
        // in the order the engine reported them (cuids grow within a run)
        results: { select: { checkId: true, status: true }, orderBy: { id: "asc" } },
      },
    }),
    db.examTask.findMany({
      where: { exam: { learnerId, status: "graded" }, earned: { not: null }, possible: { not: null } },
      orderBy: [{ examId: "asc" }, { position: "asc" }],
      select: {
        examId: true,
        scenarioId: true,
        taskId: true,
        earned: true,
        possible: true,
        exam: { select: { gradedAt: true, finishedAt: true, startedAt: true } },
      },
    }),
  ]);
  const practice: TaskRecord[] = runs.map((r) => ({
    source: "practice",
    attemptId: r.attemptId,
    scenario: r.attempt.scenarioId,
    task: r.taskId,
    at: r.createdAt,
    results: r.results,
  }));
  const exams: TaskRecord[] = examTasks.map((t) => ({
    source: "exam",
    sittingId: t.examId,
    scenario: t.scenarioId,
    task: t.taskId,
    at: t.exam.gradedAt ?? t.exam.finishedAt ?? t.exam.startedAt,
    earned: t.earned ?? 0,
    possible: t.possible ?? 0,
  }));
  // stable: a practice Check and an exam grading at the same instant keep practice first
  return [...practice, ...exams].sort((a, b) => a.at.getTime() - b.at.getTime());
}

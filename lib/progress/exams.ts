// Exam sittings in the progress store. A sitting is an Exam row (which exam, its countdown kept as
// endsAt, its status and grade) with one ExamTask per task (order, flag for review, score) and one
// Attempt (mode "exam") per scenario; each grading stores one CheckRun per task on that Attempt,
// and the ExamTask points at the latest. The time left is always computed from endsAt, so a
// reload, a closed tab or a server restart keeps the countdown.
//
// Status: running → (finish) → graded, or not-graded when a check errored; a not-graded sitting
// may be graded again, a graded one may not.
import { AppError } from "../errors";
import { DOMAIN_IDS, type DomainId } from "../scenarios/curriculum";
import type { CheckStatus, Evidence } from "../verify/types";
import { type CheckRunInput, evidenceFromJson, recordCheckRun } from "./check-runs";
import type { Db } from "./db";
import { isUniqueViolation } from "./unique-violation";

export type ExamStatus = "running" | "graded" | "not-graded";

/** The largest seed a sitting stores (a PostgreSQL integer). */
export const MAX_EXAM_SEED = 2 ** 31 - 1;

export interface NewExamTask {
  scenario: string;
  task: string;
  domain: DomainId;
  points: number;
}

export interface NewExamSession {
  learnerId: string;
  /** the exam's definition: `exams/<id>.yaml`'s id, or `random-<seed>` */
  examId: string;
  title: string;
  minutes: number;
  passPercent: number;
  /** a random exam's seed (0 to MAX_EXAM_SEED) */
  seed?: number;
  /** in the exam's order */
  tasks: readonly NewExamTask[];
}

export interface ExamSessionTask extends NewExamTask {
  /** 0-based, the exam's order */
  position: number;
  flagged: boolean;
}

/**
 * A sitting as the exam page may show it while it runs: no check result, score, hint or solution
 * is in it (those are read with readExamResult, and only once it is finished).
 */
export interface ExamSession {
  /** the sitting's id */
  id: string;
  learnerId: string;
  examId: string;
  title: string;
  seed: number | null;
  minutes: number;
  passPercent: number;
  status: ExamStatus;
  startedAt: Date;
  /** startedAt + minutes */
  endsAt: Date;
  /** milliseconds left at the time asked about; 0 once endsAt has passed or the exam is finished */
  remainingMs: number;
  /** endsAt has passed */
  isTimeUp: boolean;
  /** when the learner first asked for a grade (or time ran out); null while running */
  finishedAt: Date | null;
  /** finished after endsAt */
  timedOut: boolean;
  /** how many gradings were stored (more than one after a not-graded one) */
  gradings: number;
  tasks: ExamSessionTask[];
}

export interface DomainTally {
  earned: number;
  possible: number;
  /** null when the exam has no points of the domain */
  percent: number | null;
}

/** One check's stored result in an exam's grading. */
export interface StoredExamCheck {
  /** the check's id within its task */
  check: string;
  status: CheckStatus;
  message: string;
  hint?: string;
  evidence: Evidence[];
}

export interface StoredExamTask extends ExamSessionTask {
  /** null when the latest grading did not grade */
  earned: number | null;
  /** the task's points, 0 when every check was skipped; null when not graded */
  possible: number | null;
  /** the latest grading's results, in the engine's order */
  checks: StoredExamCheck[];
}

/** What a finished sitting stored: enough for the report, except the content (task text, solutions). */
export interface StoredExamResult {
  session: ExamSession;
  status: "graded" | "not-graded";
  /** when the latest grading read the cluster, and which cluster */
  gradedAt: Date;
  cluster: string;
  /** why the latest grading did not grade (null when graded) */
  reason: string | null;
  /** the checks that errored in the latest grading */
  errored: { scenario: string; task: string; check: string; message: string }[];
  /** the pass mark, in percent of the possible points */
  passPercent: number;
  /** null when not graded */
  earned: number | null;
  possible: number | null;
  percent: number | null;
  passed: boolean | null;
  /** per domain, from the tasks' scores; null when not graded */
  domains: Record<DomainId, DomainTally> | null;
  tasks: StoredExamTask[];
}

/** A finished sitting for the dashboard (scores over time). */
export interface ExamSummary {
  id: string;
  examId: string;
  title: string;
  status: "graded" | "not-graded";
  startedAt: Date;
  finishedAt: Date;
  gradedAt: Date | null;
  timedOut: boolean;
  passPercent: number;
  earned: number | null;
  possible: number | null;
  percent: number | null;
  passed: boolean | null;
  domains: Record<DomainId, DomainTally> | null;
}

/** One grading to store: every check's result per task, and the score made of them. */
export interface ExamGradingInput {
  /** when the finish was asked for (judged against endsAt) and the cluster read */
  at: Date;
  /** which cluster the checks read */
  cluster: string;
  /** every task of the sitting once, with the engine's results (ids `<taskId>/<checkId>`) */
  tasks: readonly { scenario: string; task: string; results: CheckRunInput["results"] }[];
  /** scoreExam's result fits as it is */
  score:
    | {
        status: "graded";
        earned: number;
        possible: number;
        percent: number;
        passed: boolean;
        tasks: readonly { scenario: string; task: string; earned: number; possible: number }[];
      }
    | { status: "not-graded"; reason: string };
}

const SESSION_SELECT = {
  id: true,
  learnerId: true,
  examId: true,
  title: true,
  seed: true,
  minutes: true,
  passPercent: true,
  status: true,
  startedAt: true,
  endsAt: true,
  finishedAt: true,
  timedOut: true,
  gradings: true,
  tasks: {
    select: { position: true, scenarioId: true, taskId: true, domain: true, points: true, flagged: true },
    orderBy: { position: "asc" },
  },
} as const;

/**
 * Starts a sitting: startedAt is `now`, endsAt `now + minutes`, both on the server. One Attempt
 * per scenario of the exam (mode "exam") is opened with it, in the same write. Throws AppError
 * `invalid` for an exam that cannot run (no tasks, a task twice, bad minutes, pass mark or seed)
 * and when the learner already has a running exam (the database holds one at most).
 */
export async function createExamSession(db: Db, input: NewExamSession, now: Date = new Date()): Promise<ExamSession> {
  assertNewSession(input);
  const scenarios = [...new Set(input.tasks.map((t) => t.scenario))];
  try {
    const created = await db.exam.create({
      data: {
        learnerId: input.learnerId,
        examId: input.examId,
        title: input.title,
        seed: input.seed ?? null,
        minutes: input.minutes,
        passPercent: input.passPercent,
        status: "running",
        startedAt: now,
        endsAt: new Date(now.getTime() + input.minutes * 60_000),
        tasks: {
          create: input.tasks.map((t, position) => ({
            position,
            scenarioId: t.scenario,
            taskId: t.task,
            domain: t.domain,
            points: t.points,
          })),
        },
        attempts: {
          create: scenarios.map((scenarioId) => ({
            learnerId: input.learnerId,
            scenarioId,
            mode: "exam",
            startedAt: now,
          })),
        },
      },
      select: SESSION_SELECT,
    });
    return sessionOf(created, now);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const running = await findRunningExam(db, input.learnerId, now);
    throw new AppError(
      "invalid",
      `exam '${running?.title ?? "another exam"}' is running: finish it before starting another`,
    );
  }
}

/** A sitting of the learner with its time left at `now`; AppError `not-found` when there is none. */
export async function readExamSession(
  db: Db,
  learnerId: string,
  sessionId: string,
  now: Date = new Date(),
): Promise<ExamSession> {
  const row = await db.exam.findFirst({ where: { id: sessionId, learnerId }, select: SESSION_SELECT });
  if (!row) throw new AppError("not-found", `no exam '${sessionId}'`);
  return sessionOf(row, now);
}

/** The learner's running sitting (at most one), so a reload or a new tab finds it; undefined when none. */
export async function findRunningExam(
  db: Db,
  learnerId: string,
  now: Date = new Date(),
): Promise<ExamSession | undefined> {
  const row = await db.exam.findFirst({ where: { learnerId, status: "running" }, select: SESSION_SELECT });
  return row ? sessionOf(row, now) : undefined;
}

/**
 * Flags (or unflags) a task of a running sitting for review, by its position. AppError
 * `not-found` for no such sitting or task, `invalid` once the sitting is finished.
 */
export async function flagExamTask(
  db: Db,
  learnerId: string,
  sessionId: string,
  position: number,
  flagged: boolean,
): Promise<{ position: number; flagged: boolean }> {
  const { count } = await db.examTask.updateMany({
    where: { examId: sessionId, position, exam: { learnerId, status: "running" } },
    data: { flagged },
  });
  if (count === 1) return { position, flagged };
  const session = await readExamSession(db, learnerId, sessionId);
  if (!session.tasks.some((t) => t.position === position)) {
    throw new AppError("not-found", `exam '${sessionId}' has no task at position ${position}`);
  }
  throw new AppError("invalid", `exam '${sessionId}' is ${session.status}: flags change only while it runs`);
}

/**
 * Stores one grading of a sitting in one transaction, or nothing: a CheckRun per task with every
 * check's result, reason, hint and evidence; each task's score; the total and pass; the status.
 * The first grading also finishes the sitting: finishedAt is `at`, and timedOut says whether `at`
 * was past endsAt (the grade is still taken then). A later grading (allowed only after a
 * not-graded one) keeps those. Throws AppError `invalid` for a graded sitting, a grading that
 * does not cover exactly the sitting's tasks, or one that lost the race to a concurrent grading;
 * `not-found` for no such sitting. Returns what was stored (readExamResult as of `at`).
 */
export async function recordExamGrading(
  db: Db,
  learnerId: string,
  sessionId: string,
  grading: ExamGradingInput,
): Promise<StoredExamResult> {
  await db.$transaction(
    async (tx) => {
      const exam = await tx.exam.findFirst({
        where: { id: sessionId, learnerId },
        select: {
          status: true,
          gradings: true,
          endsAt: true,
          finishedAt: true,
          timedOut: true,
          tasks: { select: { id: true, scenarioId: true, taskId: true } },
          attempts: { select: { id: true, scenarioId: true } },
        },
      });
      if (!exam) throw new AppError("not-found", `no exam '${sessionId}'`);
      if (exam.status === "graded") throw new AppError("invalid", `exam '${sessionId}' is already graded`);
      assertCoversTasks(sessionId, exam.tasks, grading);

      const isGraded = grading.score.status === "graded";
      const finishedAt = exam.finishedAt ?? grading.at;
      const timedOut = exam.finishedAt ? exam.timedOut : grading.at.getTime() > exam.endsAt.getTime();
      const score = grading.score.status === "graded" ? grading.score : undefined;
      // Conditional on the gradings read above: of two concurrent gradings, one updates nothing.
      const { count } = await tx.exam.updateMany({
        where: { id: sessionId, gradings: exam.gradings, status: exam.status },
        data: {
          status: grading.score.status,
          finishedAt,
          timedOut,
          gradedAt: grading.at,
          gradings: exam.gradings + 1,
          cluster: grading.cluster,
          gradeReason: grading.score.status === "not-graded" ? grading.score.reason : null,
          earned: score?.earned ?? null,
          possible: score?.possible ?? null,
          score: score?.percent ?? null,
          passed: score?.passed ?? null,
        },
      });
      if (count !== 1) throw new AppError("invalid", `exam '${sessionId}' was graded meanwhile`);

      const attemptOf = new Map(exam.attempts.map((a) => [a.scenarioId, a.id]));
      const examTaskOf = new Map(exam.tasks.map((t) => [`${t.scenarioId}/${t.taskId}`, t.id]));
      const taskScore = new Map(score?.tasks.map((t) => [`${t.scenario}/${t.task}`, t]));
      for (const t of grading.tasks) {
        const key = `${t.scenario}/${t.task}`;
        const attemptId = attemptOf.get(t.scenario);
        // createExamSession opens one per scenario with the sitting
        if (attemptId === undefined) throw new Error(`exam '${sessionId}' has no attempt for scenario '${t.scenario}'`);
        const run = await recordCheckRun(tx, {
          attemptId,
          taskId: t.task,
          cluster: grading.cluster,
          results: t.results,
        });
        const s = taskScore.get(key);
        await tx.examTask.update({
          where: { id: examTaskOf.get(key) },
          data: { checkRunId: run.id, earned: s?.earned ?? null, possible: s?.possible ?? null },
        });
      }
      if (isGraded) {
        await tx.attempt.updateMany({
          where: { examId: sessionId, finishedAt: null },
          data: { finishedAt: grading.at },
        });
      }
      // 20 tasks of a few checks each: well under a second, but the machine may be busy
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  return readExamResult(db, learnerId, sessionId, grading.at);
}

/**
 * What a finished sitting stored, for its report: the latest grading's results per task and
 * check, the scores per task and domain, the total and pass, or why it was not graded. AppError
 * `invalid` while the sitting runs (nothing of the grade may reach the exam page before its end),
 * `not-found` for no such sitting.
 */
export async function readExamResult(
  db: Db,
  learnerId: string,
  sessionId: string,
  now: Date = new Date(),
): Promise<StoredExamResult> {
  const row = await db.exam.findFirst({
    where: { id: sessionId, learnerId },
    select: {
      ...SESSION_SELECT,
      gradedAt: true,
      cluster: true,
      gradeReason: true,
      earned: true,
      possible: true,
      score: true,
      passed: true,
      tasks: {
        select: {
          ...SESSION_SELECT.tasks.select,
          earned: true,
          possible: true,
          checkRun: {
            select: {
              results: {
                select: { checkId: true, status: true, message: true, hint: true, evidence: true },
                orderBy: { id: "asc" },
              },
            },
          },
        },
        orderBy: { position: "asc" },
      },
    },
  });
  if (!row) throw new AppError("not-found", `no exam '${sessionId}'`);
  const session = sessionOf(row, now);
  if (session.status === "running" || row.gradedAt === null) {
    throw new AppError("invalid", `exam '${sessionId}' is still running: its results come when it is finished`);
  }
  const status = session.status as "graded" | "not-graded";
  const tasks: StoredExamTask[] = row.tasks.map((t, i) => ({
    ...session.tasks[i],
    earned: status === "graded" ? t.earned : null,
    possible: status === "graded" ? t.possible : null,
    checks: (t.checkRun?.results ?? []).map((r) => ({
      check: r.checkId.startsWith(`${t.taskId}/`) ? r.checkId.slice(t.taskId.length + 1) : r.checkId,
      status: r.status as CheckStatus,
      message: r.message,
      ...(r.hint === null ? {} : { hint: r.hint }),
      evidence: evidenceFromJson(r.evidence),
    })),
  }));
  const isGraded = status === "graded";
  return {
    session,
    status,
    gradedAt: row.gradedAt,
    cluster: row.cluster ?? "",
    reason: isGraded ? null : row.gradeReason,
    errored: tasks.flatMap((t) =>
      t.checks
        .filter((c) => c.status === "error")
        .map((c) => ({ scenario: t.scenario, task: t.task, check: c.check, message: c.message })),
    ),
    passPercent: session.passPercent,
    earned: isGraded ? row.earned : null,
    possible: isGraded ? row.possible : null,
    percent: isGraded ? row.score : null,
    passed: isGraded ? row.passed : null,
    domains: isGraded ? domainTallies(tasks) : null,
    tasks,
  };
}

/**
 * The learner's finished sittings (graded and not graded), oldest first: the dashboard's scores
 * over time, with each one's domains.
 */
export async function listFinishedExams(db: Db, learnerId: string): Promise<ExamSummary[]> {
  const rows = await db.exam.findMany({
    where: { learnerId, status: { in: ["graded", "not-graded"] } },
    orderBy: [{ finishedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      examId: true,
      title: true,
      status: true,
      startedAt: true,
      finishedAt: true,
      gradedAt: true,
      timedOut: true,
      passPercent: true,
      earned: true,
      possible: true,
      score: true,
      passed: true,
      tasks: { select: { domain: true, earned: true, possible: true } },
    },
  });
  return rows.map((r) => {
    const isGraded = r.status === "graded";
    return {
      id: r.id,
      examId: r.examId,
      title: r.title,
      status: r.status as "graded" | "not-graded",
      startedAt: r.startedAt,
      finishedAt: r.finishedAt ?? r.gradedAt ?? r.startedAt,
      gradedAt: r.gradedAt,
      timedOut: r.timedOut,
      passPercent: r.passPercent,
      earned: isGraded ? r.earned : null,
      possible: isGraded ? r.possible : null,
      percent: isGraded ? r.score : null,
      passed: isGraded ? r.passed : null,
      domains: isGraded ? domainTallies(r.tasks.map((t) => ({ ...t, domain: t.domain as DomainId }))) : null,
    };
  });
}

/** Each domain's earned and possible points over stored task scores (a task not scored counts none). */
function domainTallies(
  tasks: readonly { domain: DomainId; earned: number | null; possible: number | null }[],
): Record<DomainId, DomainTally> {
  const out = Object.fromEntries(DOMAIN_IDS.map((d) => [d, { earned: 0, possible: 0, percent: null }])) as Record<
    DomainId,
    DomainTally
  >;
  for (const t of tasks) {
    const d = out[t.domain];
    if (!d) continue;
    d.earned += t.earned ?? 0;
    d.possible += t.possible ?? 0;
  }
  for (const d of DOMAIN_IDS) out[d].percent = out[d].possible === 0 ? null : (100 * out[d].earned) / out[d].possible;
  return out;
}

type SessionRow = {
  id: string;
  learnerId: string;
  examId: string;
  title: string;
  seed: number | null;
  minutes: number;
  passPercent: number;
  status: string;
  startedAt: Date;
  endsAt: Date;
  finishedAt: Date | null;
  timedOut: boolean;
  gradings: number;
  tasks: { position: number; scenarioId: string; taskId: string; domain: string; points: number; flagged: boolean }[];
};

function sessionOf(row: SessionRow, now: Date): ExamSession {
  const status = row.status as ExamStatus;
  const left = row.endsAt.getTime() - now.getTime();
  return {
    id: row.id,
    learnerId: row.learnerId,
    examId: row.examId,
    title: row.title,
    seed: row.seed,
    minutes: row.minutes,
    passPercent: row.passPercent,
    status,
    startedAt: row.startedAt,
    endsAt: row.endsAt,
    remainingMs: status === "running" ? Math.max(0, left) : 0,
    isTimeUp: left <= 0,
    finishedAt: row.finishedAt,
    timedOut: row.timedOut,
    gradings: row.gradings,
    tasks: row.tasks.map((t) => ({
      position: t.position,
      scenario: t.scenarioId,
      task: t.taskId,
      domain: t.domain as DomainId,
      points: t.points,
      flagged: t.flagged,
    })),
  };
}

function assertCoversTasks(
  sessionId: string,
  tasks: readonly { scenarioId: string; taskId: string }[],
  grading: ExamGradingInput,
): void {
  const expected = new Set(tasks.map((t) => `${t.scenarioId}/${t.taskId}`));
  const given = grading.tasks.map((t) => `${t.scenario}/${t.task}`);
  const extra = given.filter((k) => !expected.has(k));
  const missing = [...expected].filter((k) => !given.includes(k));
  const twice = given.filter((k, i) => given.indexOf(k) !== i);
  if (extra.length + missing.length + twice.length === 0) return;
  const parts = [
    missing.length > 0 ? `missing ${missing.join(", ")}` : "",
    extra.length > 0 ? `not in the exam: ${extra.join(", ")}` : "",
    twice.length > 0 ? `given twice: ${twice.join(", ")}` : "",
  ].filter(Boolean);
  throw new AppError("invalid", `the grading of exam '${sessionId}' does not cover its tasks: ${parts.join("; ")}`);
}

function assertNewSession(input: NewExamSession): void {
  const bad = (message: string) => new AppError("invalid", message);
  if (input.tasks.length === 0) throw bad("an exam needs at least one task");
  if (!Number.isInteger(input.minutes) || input.minutes <= 0)
    throw bad(`minutes ${input.minutes}: expected a positive whole number`);
  if (!(input.passPercent >= 0 && input.passPercent <= 100))
    throw bad(`passPercent ${input.passPercent}: expected 0 to 100`);
  if (input.seed !== undefined && !(Number.isInteger(input.seed) && input.seed >= 0 && input.seed <= MAX_EXAM_SEED)) {
    throw bad(`seed ${input.seed}: expected a whole number from 0 to ${MAX_EXAM_SEED}`);
  }
  const keys = input.tasks.map((t) => `${t.scenario}/${t.task}`);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw bad(`task ${twice} is listed twice`);
  for (const t of input.tasks) {
    if (!DOMAIN_IDS.includes(t.domain)) throw bad(`task ${t.scenario}/${t.task}: unknown domain '${t.domain}'`);
    if (!Number.isInteger(t.points) || t.points <= 0) throw bad(`task ${t.scenario}/${t.task}: ${t.points} points`);
  }
}

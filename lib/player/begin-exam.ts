// Beginning an exam from the exams page: the exam is chosen (a fixed one, or a random one by
// seed), its tasks are set up side by side on the active cluster with progress lines for the
// page, and only then is the sitting stored, so the countdown (kept on the server) starts when
// the learner can work.
import { resolveActiveCluster } from "../cluster/active-cluster";
import { AppError } from "../errors";
import { setUpExam } from "../exams/set-up-exam";
import { getDb } from "../progress/db";
import { findRunningExam } from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import type { TExamFile } from "../scenarios/schema";
import { getGlobalSingleton } from "../terminal/global-singleton";
import { settleExpiredExam } from "./end-exam";
import { ensureDatabase } from "./ensure-database";
import { chooseExam, startExam, type TExamChoice } from "./start-exam";

export interface BegunExam {
  /** the sitting's id: the exam page is /exams/sitting/<id> */
  id: string;
  title: string;
  /** ISO time of the deadline */
  endsAt: string;
  /** the cluster the tasks were set up on */
  cluster: string;
  /** how long the setup took */
  setupSeconds: number;
}

// one setup at a time: two would set up the same namespaces under each other
const setupLock = () => getGlobalSingleton("ica-practice.exams.setting-up", () => ({ isBusy: false }));

/**
 * What stops an exam from beginning, found before the cluster is touched: no such exam file
 * (not-found) or one that does not load (invalid), no cluster (unavailable), another exam being
 * set up or running (invalid: the running one keeps its cluster as the learner left it). A running
 * sitting past its deadline is graded first and is then no obstacle. Returns the exam to sit (a
 * random one is drawn now, by its seed).
 */
export async function prepareExamStart(choice: TExamChoice): Promise<{ exam: TExamFile; choice: TExamChoice }> {
  const { exam, seed } = await chooseExam(choice);
  if (resolveActiveCluster().driver === "none") {
    throw new AppError(
      "unavailable",
      "No cluster to set the exam up on. Start one with: npm run cluster -- up --driver lite",
    );
  }
  if (setupLock().isBusy) throw new AppError("invalid", "an exam is being set up already");
  await settleExpiredExam();
  const db = getDb();
  const running = await findRunningExam(db, (await ensureLearner(db)).id);
  if (running) {
    throw new AppError("invalid", `exam '${running.title}' is running: resume it, or end it before starting another`);
  }
  return { exam, choice: seed === undefined ? choice : { random: true, seed } };
}

/**
 * Sets the exam's tasks up on the active cluster (progress lines to onProgress), then stores the
 * sitting with its deadline. Checks again what prepareExamStart checks; a setup that fails stores
 * nothing (AppError, or the cluster's error with its message).
 */
export async function beginExam(choice: TExamChoice, onProgress: (line: string) => void): Promise<BegunExam> {
  await ensureDatabase();
  const prepared = await prepareExamStart(choice);
  const lock = setupLock();
  if (lock.isBusy) throw new AppError("invalid", "an exam is being set up already");
  lock.isBusy = true;
  try {
    const started = Date.now();
    const cluster = resolveActiveCluster();
    onProgress(`Setting up ${prepared.exam.title}: ${prepared.exam.tasks.length} tasks on cluster '${cluster.name}'`);
    await setUpExam(prepared.exam.tasks, onProgress);
    const session = await startExam(prepared.choice);
    onProgress(`Ready: ${prepared.exam.minutes} minutes from now`);
    return {
      id: session.id,
      title: session.title,
      endsAt: session.endsAt.toISOString(),
      cluster: cluster.name,
      setupSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    lock.isBusy = false;
  }
}

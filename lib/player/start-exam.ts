import { randomInt } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";
import { tasksAnsweredAtSetup } from "../exams/answered-at-setup";
import { drawExam } from "../exams/draw-exam";
import { loadExam } from "../exams/load-exam";
import { resolveExamTasks } from "../exams/resolve-exam";
import { getDb } from "../progress/db";
import { createExamSession, type ExamSession, MAX_EXAM_SEED } from "../progress/exams";
import { ensureLearner } from "../progress/learners";
import { loadCatalog } from "../scenarios/load-catalog";
import { loadScenario } from "../scenarios/load-scenario";
import { type TExamFile, ZExamId } from "../scenarios/schema";
import { ensureDatabase } from "./ensure-database";

/** Which exam to sit: a fixed one (`exams/<id>.yaml`), or a random one (a seed draws the same exam again). */
export const ZExamChoice = z.union([
  z.object({ exam: ZExamId }).strict(),
  z.object({ random: z.literal(true), seed: z.number().int().min(0).max(MAX_EXAM_SEED).optional() }).strict(),
]);
export type TExamChoice = z.infer<typeof ZExamChoice>;

/**
 * Starts an exam for the learner: the countdown starts now and is kept on the server (endsAt).
 * A random exam without a seed gets one at random; it is stored, so the draw can be seen again.
 * Does not touch the cluster: setting the exam's tasks up is the caller's step before this one.
 * AppError `not-found` for no such exam file, `invalid` for one that does not load or resolve
 * against the catalog, a catalog that cannot draw an exam, or an exam already running.
 */
export async function startExam(choice: TExamChoice, now: Date = new Date()): Promise<ExamSession> {
  const { exam, seed } = await chooseExam(choice);
  const scenarioIds = [...new Set(exam.tasks.map((t) => t.scenario))];
  const { tasks, problems } = resolveExamTasks(
    exam.tasks,
    scenarioIds.map((id) => loadScenario(id)),
  );
  if (problems.length > 0) {
    throw new AppError("invalid", `exam '${exam.id}' cannot run: ${problems.map((p) => p.message).join("; ")}`);
  }
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  return createExamSession(
    db,
    {
      learnerId: learner.id,
      examId: exam.id,
      title: exam.title,
      minutes: exam.minutes,
      passPercent: exam.passPercent,
      ...(seed === undefined ? {} : { seed }),
      tasks: tasks.map((t) => ({
        scenario: t.scenario.id,
        task: t.task.id,
        domain: t.scenario.domain,
        points: t.task.points,
      })),
    },
    now,
  );
}

/**
 * The exam a choice names: a fixed one loaded from its file, or a random one drawn by its seed
 * (one is picked at random when none is given). AppError `not-found` for no such exam file,
 * `invalid` for one that does not load or a catalog that cannot draw an exam.
 */
export async function chooseExam(choice: TExamChoice): Promise<{ exam: TExamFile; seed?: number }> {
  if ("exam" in choice) {
    const loaded = loadExam(choice.exam);
    if (loaded.ok) return { exam: loaded.exam };
    if (loaded.errors.some((e) => e.message === "file not found")) {
      throw new AppError("not-found", `no exam '${choice.exam}'`);
    }
    throw new AppError("invalid", `exam '${choice.exam}' does not load (npm run exams:lint says why)`);
  }
  const seed = choice.seed ?? randomInt(0, MAX_EXAM_SEED + 1);
  const scenarios = loadCatalog().flatMap((r) => (r.ok ? [r.scenario] : []));
  return { exam: drawExam(scenarios, seed, await tasksAnsweredAtSetup(scenarios)), seed };
}

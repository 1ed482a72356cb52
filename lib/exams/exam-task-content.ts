// What an exam shows of a task, in two parts kept apart on purpose: its text, shown during the
// exam, and its answers (hints, solution, explanation, other correct answers), which reach the
// learner only in the report once the exam is over.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { BARE_CONTEXT_NAME, needsBareCluster } from "../cluster/bare-cluster";
import { AppError } from "../errors";
import type { DomainId } from "../scenarios/curriculum";
import type { ResolvedTask, Scenario } from "../scenarios/schema";
import { answerFilePaths } from "../scenarios/solution-files";

/** What the exam page shows of a task while the exam runs. */
export interface ExamTaskText {
  scenario: string;
  scenarioTitle: string;
  task: string;
  title: string;
  domain: DomainId;
  competency: string;
  points: number;
  /** the task's Markdown (vars substituted) */
  markdown: string;
  /** the istio.io (or kubernetes.io) page the task is about */
  docs?: string;
  /** the kubeconfig context the task is done in, when not the terminal's own (an install task: the bare cluster) */
  context?: string;
}

/** A file of an answer: its path inside the scenario folder and its text. */
export interface AnswerFile {
  path: string;
  content: string;
}

/** What the report shows of a task after the exam: never sent while it runs. */
export interface ExamTaskAnswers {
  scenario: string;
  task: string;
  hints: string[];
  /** the solution's files (a file, or every manifest of a folder in apply order) */
  solution: { path: string; files: AnswerFile[] };
  /** why the solution works (Markdown), when the scenario explains it */
  explanation?: string;
  /** other correct answers to this task, each with how it differs */
  alternatives: { why: string; files: AnswerFile[] }[];
}

/** The task's text for the exam page; AppError `not-found` for a task the scenario does not have. */
export function examTaskText(scenario: Scenario, taskId: string): ExamTaskText {
  const task = taskOf(scenario, taskId);
  return {
    scenario: scenario.id,
    scenarioTitle: scenario.title,
    task: task.id,
    title: task.title,
    domain: scenario.domain,
    competency: scenario.competency,
    points: task.points,
    markdown: task.markdown,
    ...(task.docs === undefined ? {} : { docs: task.docs }),
    ...(needsBareCluster(scenario) ? { context: BARE_CONTEXT_NAME } : {}),
  };
}

/** The task's answers for the report, files read from the scenario folder. */
export function examTaskAnswers(scenario: Scenario, taskId: string): ExamTaskAnswers {
  const task = taskOf(scenario, taskId);
  return {
    scenario: scenario.id,
    task: task.id,
    hints: [...task.hints],
    solution: { path: relative(scenario, task.solution), files: answerFiles(scenario, task.solution) },
    ...(task.explanation === undefined ? {} : { explanation: task.explanation }),
    alternatives: scenario.alternatives.flatMap((a) => {
      const file = a.solutions[task.id];
      return file === undefined ? [] : [{ why: a.why, files: answerFiles(scenario, file) }];
    }),
  };
}

function taskOf(scenario: Scenario, taskId: string): ResolvedTask {
  const task = scenario.tasks.find((t) => t.id === taskId);
  if (!task) throw new AppError("not-found", `scenario '${scenario.id}' has no task '${taskId}'`);
  return task;
}

function answerFiles(scenario: Scenario, target: string): AnswerFile[] {
  if (!existsSync(target)) return [];
  return answerFilePaths(target).map((file) => ({
    path: relative(scenario, file),
    content: readFileSync(file, "utf8"),
  }));
}

function relative(scenario: Scenario, file: string): string {
  return path.relative(scenario.dir, file).split(path.sep).join("/");
}

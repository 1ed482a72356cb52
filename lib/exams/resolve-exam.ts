import type { LoadResult } from "../scenarios/load-scenario";
import type { ResolvedTask, Scenario, TExamTaskRef } from "../scenarios/schema";

/** One task of an exam, found in the catalog. */
export interface ExamTask {
  /** its place in the exam's `tasks` (0-based) */
  index: number;
  scenario: Scenario;
  task: ResolvedTask;
}

/** What is wrong with an exam, at a path of its file (`["tasks", 3, "task"]`). */
export interface ExamProblem {
  at: (string | number)[];
  message: string;
}

/**
 * The exam's tasks found in the catalog, in the exam's order; each reference that names no
 * scenario, a scenario that does not load, or no task of its scenario is a problem at its field.
 */
export function resolveExamTasks(
  refs: readonly TExamTaskRef[],
  catalog: readonly LoadResult[],
): { tasks: ExamTask[]; problems: ExamProblem[] } {
  const byId = new Map(catalog.map((r) => [r.ok ? r.scenario.id : r.id, r]));
  const tasks: ExamTask[] = [];
  const problems: ExamProblem[] = [];
  refs.forEach((ref, index) => {
    const found = byId.get(ref.scenario);
    if (found === undefined) {
      problems.push({ at: ["tasks", index, "scenario"], message: `no scenario '${ref.scenario}' in the catalog` });
      return;
    }
    if (!found.ok) {
      const message = `scenario '${ref.scenario}' does not load (npm run scenarios:lint says why)`;
      problems.push({ at: ["tasks", index, "scenario"], message });
      return;
    }
    const task = found.scenario.tasks.find((t) => t.id === ref.task);
    if (task === undefined) {
      const ids = found.scenario.tasks.map((t) => t.id).join(", ");
      const message = `scenario '${ref.scenario}' has no task '${ref.task}' (its tasks: ${ids})`;
      problems.push({ at: ["tasks", index, "task"], message });
      return;
    }
    tasks.push({ index, scenario: found.scenario, task });
  });
  return { tasks, problems };
}

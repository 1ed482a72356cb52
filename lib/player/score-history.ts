// The dashboard's scores over time: one entry per practice attempt and per finished exam. Pure.
//
// A practice attempt scores like a one-scenario exam: each task's latest result in the attempt
// that says something about the answer (readiness.ts's fractionOf), times the task's points, over
// the scenario's points; a task not checked counts 0. It is placed at its latest such Check. An
// exam is placed when it finished, with the percent its grading stored (none when not graded).
import { type CatalogTask, fractionOf, taskKey } from "./readiness";

export interface PracticeCheckRecord {
  source: "practice";
  attemptId: string;
  scenario: string;
  task: string;
  at: Date;
  results: readonly { checkId: string; status: string }[];
}

/** A finished exam sitting as lib/progress/exams.ts's listFinishedExams gives it. */
export interface FinishedExam {
  id: string;
  title: string;
  status: "graded" | "not-graded";
  finishedAt: Date;
  earned: number | null;
  possible: number | null;
  percent: number | null;
  passed: boolean | null;
  passPercent: number;
}

export type HistoryEntry =
  | {
      kind: "practice";
      /** the attempt's id */
      id: string;
      at: Date;
      scenario: string;
      title: string;
      earned: number;
      possible: number;
      percent: number;
      /** tasks with a result, of the scenario's tasks */
      tried: number;
      tasks: number;
    }
  | {
      kind: "exam";
      /** the sitting's id */
      id: string;
      at: Date;
      title: string;
      status: "graded" | "not-graded";
      earned: number | null;
      possible: number | null;
      /** null when not graded */
      percent: number | null;
      passed: boolean | null;
      passPercent: number;
    };

/** Practice attempts and finished exams, oldest first. Attempts of scenarios not in the catalog are left out. */
export function scoreHistory(
  tasks: readonly CatalogTask[],
  records: readonly (PracticeCheckRecord | { source: "exam" })[],
  exams: readonly FinishedExam[],
): HistoryEntry[] {
  const byKey = new Map(tasks.map((t) => [taskKey(t.scenario, t.task), t]));
  const attempts = new Map<string, PracticeCheckRecord[]>();
  for (const r of records) {
    if (r.source === "practice") attempts.set(r.attemptId, [...(attempts.get(r.attemptId) ?? []), r]);
  }
  const practice = [...attempts.entries()].flatMap(([id, runs]): HistoryEntry[] => {
    const scenario = runs[0].scenario;
    const own = tasks.filter((t) => t.scenario === scenario);
    if (own.length === 0) return [];
    const latest = new Map<string, { fraction: number; at: Date }>();
    for (const run of runs) {
      const task = byKey.get(taskKey(run.scenario, run.task));
      if (!task) continue;
      const seen = latest.get(run.task);
      if (seen && seen.at.getTime() > run.at.getTime()) continue;
      const fraction = fractionOf(task, run);
      if (fraction !== undefined) latest.set(run.task, { fraction, at: run.at });
    }
    if (latest.size === 0) return [];
    const possible = own.reduce((n, t) => n + t.points, 0);
    const earned = own.reduce((n, t) => n + t.points * (latest.get(t.task)?.fraction ?? 0), 0);
    const at = new Date(Math.max(...[...latest.values()].map((l) => l.at.getTime())));
    return [
      {
        kind: "practice",
        id,
        at,
        scenario,
        title: own[0].scenarioTitle,
        earned,
        possible,
        percent: (100 * earned) / possible,
        tried: latest.size,
        tasks: own.length,
      },
    ];
  });
  const finished = exams.map(
    (e): HistoryEntry => ({
      kind: "exam",
      id: e.id,
      at: e.finishedAt,
      title: e.title,
      status: e.status,
      earned: e.earned,
      possible: e.possible,
      percent: e.percent,
      passed: e.passed,
      passPercent: e.passPercent,
    }),
  );
  return [...practice, ...finished].sort((a, b) => a.at.getTime() - b.at.getTime());
}

// The exam lint: what the contract cannot see. Every task exists in the catalog, none is listed
// twice, 15 to 20 tasks as the real ICA has, domain shares by points within SHARE_TOLERANCE of the
// curriculum weights, and every task can be set up side by side with the others in one cluster.
import { readFileSync } from "node:fs";
import { conflicts } from "../scenarios/conflicts";
import type { LoadResult } from "../scenarios/load-scenario";
import type { ContentError, TExamTaskRef } from "../scenarios/schema";
import { domainShares, formatShares, SHARE_TOLERANCE, sharesOffWeight } from "./domain-shares";
import { parseExam } from "./load-exam";
import { type ExamProblem, resolveExamTasks } from "./resolve-exam";

/** The real ICA's number of tasks. */
export const EXAM_TASKS = { min: 15, max: 20 } as const;

/** Lints an exam file against the catalog; every problem at its file:line:column. */
export function lintExam(file: string, catalog: readonly LoadResult[]): ContentError[] {
  return lintExamText(file, readFileSync(file, "utf8"), catalog);
}

/** Lints an exam's text (as if read from `file`) against the catalog. */
export function lintExamText(file: string, text: string, catalog: readonly LoadResult[]): ContentError[] {
  const loaded = parseExam(file, text);
  if (!loaded.ok) return loaded.errors;
  return examProblems(loaded.exam.tasks, catalog).map((p) => ({ ...loaded.at(p.at), message: p.message }));
}

/**
 * What is wrong with an exam's list of tasks (a file's, or a drawn one): unknown scenarios and
 * tasks, a task listed twice, a count outside EXAM_TASKS, domain shares off the weights, and
 * tasks of different scenarios that may not be set up side by side (lib/scenarios/conflicts.ts;
 * tasks of one scenario share its setup). Shares are judged only when every task resolves.
 */
export function examProblems(refs: readonly TExamTaskRef[], catalog: readonly LoadResult[]): ExamProblem[] {
  const { tasks, problems } = resolveExamTasks(refs, catalog);

  const first = new Map<string, number>();
  refs.forEach((ref, i) => {
    const key = `${ref.scenario}/${ref.task}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else problems.push({ at: ["tasks", i], message: `task ${key} is listed twice (also task ${earlier + 1})` });
  });

  if (refs.length < EXAM_TASKS.min || refs.length > EXAM_TASKS.max) {
    problems.push({
      at: ["tasks"],
      message: `${refs.length} tasks: an exam has ${EXAM_TASKS.min} to ${EXAM_TASKS.max}, as the real ICA`,
    });
  }

  if (tasks.length === refs.length) {
    const shares = domainShares(tasks.map((t) => ({ domain: t.scenario.domain, points: t.task.points })));
    for (const off of sharesOffWeight(shares)) {
      problems.push({
        at: ["tasks"],
        message: `domain ${off.domain} has ${off.share.toFixed(1)}% of the points, more than ${SHARE_TOLERANCE} points from its weight ${off.weight}% (shares: ${formatShares(shares)})`,
      });
    }
  }

  // once per pair of scenarios, at the first task that brings the second of them in
  const judged = new Set<string>();
  for (const later of tasks) {
    for (const earlier of tasks) {
      if (earlier.index >= later.index || earlier.scenario.id === later.scenario.id) continue;
      const pair = [earlier.scenario.id, later.scenario.id].sort().join(" ");
      if (judged.has(pair)) continue;
      judged.add(pair);
      const reasons = conflicts(earlier.scenario, later.scenario);
      if (reasons.length === 0) continue;
      problems.push({
        at: ["tasks", later.index],
        message: `scenario '${later.scenario.id}' cannot be set up beside '${earlier.scenario.id}' (task ${earlier.index + 1}): ${reasons.join("; ")}`,
      });
    }
  }
  return problems;
}

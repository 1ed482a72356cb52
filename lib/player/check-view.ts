import type { TaskProgress } from "../progress/check-runs";
import type { TaskState } from "../progress/task-state";
import type { CheckStatus, Evidence } from "../verify/types";

/** A check result as the player shows it (fresh from the engine, or as stored). */
export interface CheckResultView {
  id: string;
  status: CheckStatus;
  message: string;
  hint?: string;
  evidence: Evidence[];
}

export interface TaskCheckView {
  taskId: string;
  state: TaskState;
  cluster: string;
  results: CheckResultView[];
}

/** A task's stored latest Check as its panel shows it: the same view a fresh Check returned. */
export function taskCheckViewOf(progress: TaskProgress): TaskCheckView {
  return {
    taskId: progress.taskId,
    state: progress.state,
    cluster: progress.cluster,
    results: progress.results.map((r) => ({
      id: r.checkId,
      status: r.status as CheckStatus,
      message: r.message,
      ...(r.hint === undefined ? {} : { hint: r.hint }),
      evidence: r.evidence,
    })),
  };
}

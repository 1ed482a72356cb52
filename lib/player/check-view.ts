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

import type { CheckStatus } from "../verify/types";

export type TaskState = "passed" | "failed" | "error";

/** A task passes when each check passed or was skipped; any error means it could not be judged. */
export function taskStateOf(results: readonly { status: CheckStatus | string }[]): TaskState {
  if (results.some((r) => r.status === "error")) return "error";
  return results.length > 0 && results.every((r) => r.status === "pass" || r.status === "skipped")
    ? "passed"
    : "failed";
}

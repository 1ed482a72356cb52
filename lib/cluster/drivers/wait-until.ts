import { setTimeout as sleep } from "node:timers/promises";
import type { ProgressFn } from "./types";

export interface WaitOptions {
  /** What is awaited, for progress lines and the timeout error ("kube-apiserver /readyz"). */
  what: string;
  timeoutMs: number;
  onProgress: ProgressFn;
  intervalMs?: number;
  /** Added to the timeout error, e.g. where the log is. */
  hint?: string;
}

/**
 * Polls check() until it returns true. check() may instead return a string saying what
 * is still missing; it is shown every 10 s and in the timeout error.
 */
export async function waitUntil(check: () => Promise<boolean | string>, options: WaitOptions): Promise<void> {
  const started = Date.now();
  let lastReport = started;
  let missing = "";
  for (;;) {
    const result = await check();
    if (result === true) return;
    missing = typeof result === "string" ? result : "";
    const elapsed = Date.now() - started;
    if (elapsed > options.timeoutMs) {
      const detail = missing ? `: ${missing}` : "";
      const hint = options.hint ? ` (${options.hint})` : "";
      throw new Error(`timed out after ${Math.round(elapsed / 1000)} s waiting for ${options.what}${detail}${hint}`);
    }
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      options.onProgress(
        `still waiting for ${options.what} (${Math.round(elapsed / 1000)} s)${missing ? `: ${missing}` : ""}`,
      );
    }
    await sleep(options.intervalMs ?? 250);
  }
}

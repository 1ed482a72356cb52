// The cluster bar's button: `npm run cluster -- up` with no --driver (kind when Docker answers
// and kind works, else lite), one at a time per server.
import { chooseUpDriver, createDriver } from "../cluster/drivers/choose-driver";
import type { ProgressFn } from "../cluster/drivers/types";
import { AppError } from "../errors";
import { forgetClusterStatus } from "./cluster-status";

const store = globalThis as { __icaClusterUpRunning?: boolean };

export interface ClusterUpResult {
  driver: string;
  reused: boolean;
  seconds: number;
}

/**
 * Claims the one `up` slot now (so a second request is refused before it streams) and returns
 * the work to run; an AppError when an `up` is already running.
 */
export function claimClusterUp(): (onProgress: ProgressFn) => Promise<ClusterUpResult> {
  if (store.__icaClusterUpRunning) {
    throw new AppError("unavailable", "The cluster is already being brought up; wait for it to finish.");
  }
  store.__icaClusterUpRunning = true;
  return async (onProgress) => {
    const started = Date.now();
    try {
      const { name, reason } = await chooseUpDriver();
      onProgress(`using the ${name} driver: ${reason}`);
      const result = await createDriver(name).up(onProgress);
      return { driver: name, reused: result.reused, seconds: Math.round((Date.now() - started) / 1000) };
    } finally {
      store.__icaClusterUpRunning = false;
      forgetClusterStatus();
    }
  };
}

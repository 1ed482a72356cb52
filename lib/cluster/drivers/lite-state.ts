import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { liteDir } from "../../paths";
import type { ProgressFn } from "./types";

// Everything the lite cluster keeps lives under <cache>/lite/ (a bare cluster's under
// <cache>/lite-bare/); state.json records what `down` must stop.

export function litePaths(dir: string = liteDir()) {
  return {
    dir,
    state: join(dir, "state.json"),
    lock: join(dir, "lock"),
    kubeconfig: join(dir, "kubeconfig"),
    graderKubeconfig: join(dir, "grader.kubeconfig"),
    etcdData: join(dir, "etcd"),
    pki: join(dir, "pki"),
    tokens: join(dir, "tokens.csv"),
    logs: join(dir, "logs"),
    manifests: join(dir, "manifests"),
  };
}

const ZRecordedProcess = z.object({ name: z.string(), pid: z.number().int(), command: z.string() });

export const ZLiteState = z.object({
  dataDir: z.string(),
  kubeconfig: z.string(),
  ports: z.record(z.string(), z.number().int()),
  processes: z.array(ZRecordedProcess),
  /** Set once everything is installed; a state without it is a failed or unfinished up. */
  ready: z.boolean(),
  startedAt: z.string(),
  /** A bare cluster: Kubernetes and the sample apps, no Istio (and no istiod host). */
  bare: z.boolean().optional(),
});
type Paths = ReturnType<typeof litePaths>;
export type TLiteState = z.infer<typeof ZLiteState>;

export function readLiteState(paths: Paths = litePaths()): TLiteState | undefined {
  const file = paths.state;
  if (!existsSync(/* turbopackIgnore: true */ file)) return undefined;
  try {
    const parsed = ZLiteState.safeParse(JSON.parse(readFileSync(/* turbopackIgnore: true */ file, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // a torn write: treated like no state
  }
}

export function writeLiteState(state: TLiteState, paths: Paths = litePaths()): void {
  writeFileSync(paths.state, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeLiteState(paths: Paths = litePaths()): void {
  rmSync(paths.state, { force: true });
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs fn while holding <cache>/lite/lock, so two `up`s (a learner's and a test run's)
 * never start two clusters over one state file. A lock whose owner died is taken over.
 * Another lock file (in an existing or new folder) serializes something else the same way.
 */
export async function withLiteLock<T>(
  onProgress: ProgressFn,
  fn: () => Promise<T>,
  paths: Pick<Paths, "dir" | "lock"> = litePaths(),
): Promise<T> {
  const { dir, lock } = paths;
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + 20 * 60_000; // a cold build under another lock takes minutes
  let isReported = false;
  for (;;) {
    try {
      const fd = openSync(/* turbopackIgnore: true */ lock, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(readFileSync(/* turbopackIgnore: true */ lock, "utf8"));
    if (owner && !isPidAlive(owner)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lock} is still held by pid ${owner}`);
    if (!isReported) onProgress(`waiting for another cluster command (pid ${owner || "?"}) to finish`);
    isReported = true;
    await sleep(500);
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

import { resolveActiveCluster } from "../cluster/active-cluster";
import { clusterForScenario, startOverFromBare } from "../cluster/bare-cluster";
import { missingNamespaces, setUpScenario } from "../cluster/scenario-objects";
import { AppError } from "../errors";
import { recordReset, startAttempt } from "../progress/attempts";
import { getDb } from "../progress/db";
import { ensureLearner } from "../progress/learners";
import { loadScenario } from "../scenarios/load-scenario";
import { endTerminalSession } from "../terminal/terminal-sessions";
import { refuseDuringExam } from "./end-exam";
import { ensureDatabase } from "./ensure-database";

export interface ResetOutcome {
  cluster: string;
  seconds: number;
}

/**
 * Reset (and first Prepare): end the scenario's shell (Reset only), delete the scenario's
 * namespaces, put the mesh-wide state it declares (`mesh`) back as the cluster's baseline has it,
 * reapply its setup, and count the reset on the learner's attempt. Progress lines go to
 * onProgress. Refused (AppError `forbidden`) while an exam runs: it would undo the exam's setup.
 */
export async function resetScenario(scenarioId: string, onProgress: (line: string) => void): Promise<ResetOutcome> {
  const loaded = loadScenario(scenarioId);
  if (!loaded.ok) throw new AppError("not-found", `no scenario '${scenarioId}' that loads`);
  await refuseDuringExam("Setting up a scenario");
  const cluster = clusterForScenario(resolveActiveCluster(), loaded.scenario);
  if (cluster.driver === "none") {
    throw new AppError("unavailable", "No cluster to set up. Start one with: npm run cluster -- up --driver lite");
  }
  const started = Date.now();
  // A Reset ends the shell before deleting anything, so its jobs cannot change the new setup; the
  // page connects to a fresh one. A first setup keeps the shell the page has just started: ending
  // a shell while it still reads ~/.bashrc can leave a tool's lock file behind (pyenv's rehash).
  // An install task starts over from a bare cluster, every time: what an earlier install left
  // would answer it.
  const isReset = await missingNamespaces(cluster, loaded.scenario.namespaces).then(
    (missing) => missing.length === 0,
    (e: Error) => {
      if (cluster.bare) return false; // not up yet: starting it is the setup's first step
      throw e;
    },
  );
  if (isReset && endTerminalSession(scenarioId)) onProgress("Restarted the terminal's shell");
  if (cluster.bare) await startOverFromBare(onProgress);
  onProgress(`Setting up ${loaded.scenario.title} on cluster '${cluster.name}'`);
  await setUpScenario(cluster, loaded.scenario, onProgress); // its `mesh` scope included
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const attempt = await startAttempt(db, learner.id, scenarioId);
  await recordReset(db, attempt.id);
  return { cluster: cluster.name, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

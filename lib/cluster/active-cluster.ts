// Which cluster the player and `npm run check` use: the terminal's KUBECONFIG, what setup and
// Reset apply to, and what Check reads.
//   ICA_CLUSTER=lite     the local lite control plane (default when its kubeconfig exists)
//   ICA_CLUSTER=kind     the kind driver's cluster (default when only its kubeconfig exists), with a
//                        data plane and the prober; Check reads with the read-only credential `up` made
//   ICA_CLUSTER=current  $KUBECONFIG or ~/.kube/config, context ICA_KUBE_CONTEXT or the current one
//   ICA_CLUSTER=none     no cluster: browse and grade from files only
// The active cluster also says what it can do (its capabilities), so no caller decides that.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { type EnvSource, readEnv } from "../env";
import { liteGraderKubeconfigPath, liteKubeconfigPath, toolsBinDir } from "../paths";
import { KIND_CONTEXT, kindPaths } from "./drivers/kind-plan";
import { createKubeCluster } from "./kube-client";
import type { Capabilities, Cluster, ClusterResult } from "./types";

export interface ActiveCluster {
  driver: "lite" | "kind" | "current" | "none";
  /** shown to the learner and stored with each check run */
  name: string;
  kubeconfig?: string;
  context?: string;
  /** the credential Check reads with; read-only on the lite and kind drivers */
  graderKubeconfig?: string;
  /** folder with kubectl and istioctl to put first on the terminal's PATH, when built */
  binDir?: string;
  /** what checks may rely on: the lite driver runs no Envoy, a real cluster does */
  capabilities: Capabilities;
  /** the bare lite cluster (bare-cluster.ts): install tasks, started over from bare at each setup */
  bare?: true;
  /** more kubeconfigs the terminal merges after this one (an exam's bare cluster, as another context) */
  alsoKubeconfigs?: string[];
}

const NONE = { driver: "none", name: "none", capabilities: { dataPlane: false } } as const;

/** Reads the environment (a bad ICA_CLUSTER is an EnvError naming the allowed values). */
export function resolveActiveCluster(source: EnvSource = process.env): ActiveCluster {
  const env = readEnv(source);
  const binDir = existsSync(toolsBinDir(source)) ? toolsBinDir(source) : undefined;
  const lite = liteKubeconfigPath(source);
  const kind = kindPaths(source);
  const choice = env.ICA_CLUSTER ?? (existsSync(lite) ? "lite" : existsSync(kind.kubeconfig) ? "kind" : "current");
  if (choice === "none") return { ...NONE, binDir };
  if (choice === "kind") {
    if (!existsSync(kind.kubeconfig)) return { ...NONE, binDir };
    return {
      driver: "kind",
      name: "kind",
      kubeconfig: kind.kubeconfig,
      context: KIND_CONTEXT,
      graderKubeconfig: kind.graderKubeconfig,
      binDir: existsSync(kind.binDir) ? kind.binDir : binDir,
      // `up` deploys the prober (lib/cluster/prober/prober.yaml): traffic checks run here
      capabilities: { dataPlane: true, prober: true },
    };
  }
  if (choice === "lite") {
    return {
      driver: "lite",
      name: "lite",
      kubeconfig: lite,
      graderKubeconfig: liteGraderKubeconfigPath(source),
      binDir,
      capabilities: { dataPlane: false },
    };
  }
  const kubeconfig = env.KUBECONFIG?.split(path.delimiter)[0] || path.join(homedir(), ".kube", "config");
  if (!existsSync(/* turbopackIgnore: true */ kubeconfig)) return { ...NONE, binDir };
  return {
    driver: "current",
    name: env.ICA_KUBE_CONTEXT ?? "current",
    kubeconfig,
    context: env.ICA_KUBE_CONTEXT,
    graderKubeconfig: env.ICA_GRADER_KUBECONFIG ?? kubeconfig,
    binDir,
    capabilities: { dataPlane: true },
  };
}

/**
 * The Cluster that Check reads: the active cluster through its read-only credential (a named
 * grader kubeconfig's own current context; the learner's context otherwise), with the active
 * cluster's capabilities.
 */
export function connectGrader(active: ActiveCluster): ClusterResult<Cluster> {
  if (active.driver === "none") {
    return {
      ok: false,
      failure: {
        reason: "unreachable",
        message: "No cluster to check. Start one with: npm run cluster -- up --driver lite",
      },
    };
  }
  if (active.graderKubeconfig && !existsSync(active.graderKubeconfig)) {
    const message = active.bare
      ? "The bare cluster of install tasks is not running. Set the scenario up in the player (it starts the bare cluster over), or: npm run cluster -- up --bare."
      : active.driver === "lite"
        ? "The lite cluster is not running. Start it with: npm run cluster -- up --driver lite, then press Check again."
        : active.driver === "kind"
          ? "The kind cluster has no read-only credential for Check. Make it with: npm run cluster -- up --driver kind (it repairs a running cluster), then press Check again."
          : `No kubeconfig for Check at ${active.graderKubeconfig}: point ICA_GRADER_KUBECONFIG at a read-only kubeconfig, or unset it.`;
    return { ok: false, failure: { reason: "unreachable", message } };
  }
  return createKubeCluster({
    kubeconfigPath: active.graderKubeconfig,
    context: active.graderKubeconfig === active.kubeconfig ? active.context : undefined,
    capabilities: active.capabilities,
    name: active.name,
  });
}

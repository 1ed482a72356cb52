// Which cluster the player uses: the terminal's KUBECONFIG and what Check reads.
//   ICA_CLUSTER=lite     the local lite control plane (default when its kubeconfig exists)
//   ICA_CLUSTER=current  $KUBECONFIG or ~/.kube/config, context ICA_KUBE_CONTEXT or the current one
//   ICA_CLUSTER=none     no cluster: browse and grade from files only
// Check reads with `graderKubeconfig`: the lite driver's read-only token, or
// ICA_GRADER_KUBECONFIG (a read-only credential for a current cluster) when set.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { liteGraderKubeconfigPath, liteKubeconfigPath, toolsBinDir } from "./cache-paths";

export interface ActiveCluster {
  driver: "lite" | "current" | "none";
  /** shown to the learner and stored with each check run */
  name: string;
  kubeconfig?: string;
  context?: string;
  /** the credential Check reads with; read-only on the lite driver */
  graderKubeconfig?: string;
  /** folder with kubectl and istioctl to put first on the terminal's PATH, when built */
  binDir?: string;
}

export function resolveActiveCluster(env: NodeJS.ProcessEnv = process.env): ActiveCluster {
  const binDir = existsSync(toolsBinDir(env)) ? toolsBinDir(env) : undefined;
  const lite = liteKubeconfigPath(env);
  const choice = env.ICA_CLUSTER ?? (existsSync(lite) ? "lite" : "current");
  if (choice === "none") return { driver: "none", name: "none", binDir };
  if (choice === "lite") {
    return { driver: "lite", name: "lite", kubeconfig: lite, graderKubeconfig: liteGraderKubeconfigPath(env), binDir };
  }
  const kubeconfig = env.KUBECONFIG?.split(path.delimiter)[0] || path.join(homedir(), ".kube", "config");
  if (!existsSync(/* turbopackIgnore: true */ kubeconfig)) return { driver: "none", name: "none", binDir };
  return {
    driver: "current",
    name: env.ICA_KUBE_CONTEXT ?? "current",
    kubeconfig,
    context: env.ICA_KUBE_CONTEXT,
    graderKubeconfig: env.ICA_GRADER_KUBECONFIG || kubeconfig,
    binDir,
  };
}

// Where things live on disk: the repository, scenarios, sample apps, the cache of built
// binaries and the lite cluster's state, the terminal's workspaces. npm runs every script, the
// server and the tests from the package folder, and Next's server bundle cannot see its
// sources' own location, so the working directory is the anchor.
import path from "node:path";
import { type EnvSource as Env, readEnv } from "./env";

export const REPO_ROOT = process.cwd();

/**
 * Where scenarios are loaded from: ICA_SCENARIOS_DIR, one folder or several separated by ':'
 * (the built-in catalog plus an author's, to preview them together); the first folder that holds
 * an id wins.
 */
export function scenariosRoots(env: Env = process.env): string[] {
  const configured = readEnv(env).ICA_SCENARIOS_DIR;
  const dirs = configured ? configured.split(path.delimiter).filter(Boolean) : [path.join(REPO_ROOT, "scenarios")];
  return dirs.map((d) => path.resolve(/* turbopackIgnore: true */ d));
}

/** A sample app's manifest (helloworld, httpbin, curl), applied into a scenario's namespace. */
export function sampleManifest(sample: string): string {
  return path.join(REPO_ROOT, "lib/cluster/samples", `${sample}.yaml`);
}

/** One folder per scenario below this: the terminal's working directory. */
export function workspacesDir(env: Env = process.env): string {
  return path.resolve(
    /* turbopackIgnore: true */ readEnv(env).ICA_WORKSPACES_DIR ?? path.join(REPO_ROOT, "data", "workspaces"),
  );
}

/** Built binaries and the lite cluster's state; ICA_CACHE_DIR moves it out of the clone (CI). */
export function cacheDir(env: Env = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ readEnv(env).ICA_CACHE_DIR ?? path.join(REPO_ROOT, ".cache"));
}

/** Where the lite driver keeps its data, logs and kubeconfigs. */
export function liteDir(env: Env = process.env): string {
  return path.join(cacheDir(env), "lite");
}

/**
 * The bare lite cluster's folder (Kubernetes and the sample apps, no Istio, for install tasks):
 * apart from the practice cluster's, so both can run at once.
 */
export function liteBareDir(env: Env = process.env): string {
  return path.join(cacheDir(env), "lite-bare");
}

/** Istio's Helm charts, one folder per Istio build below this (lib/cluster/istio-charts.ts). */
export function istioChartsRoot(env: Env = process.env): string {
  return path.join(cacheDir(env), "istio-charts");
}

/** The lite cluster's admin credential: the learner's shell and setup/Reset use it. */
export function liteKubeconfigPath(env: Env = process.env): string {
  return path.join(liteDir(env), "kubeconfig");
}

/** The lite cluster's read-only credential, which Check uses. */
export function liteGraderKubeconfigPath(env: Env = process.env): string {
  return path.join(liteDir(env), "grader.kubeconfig");
}

/** Stable-named links (kubectl, istioctl, ...) to the pinned builds, for a learner's PATH. */
export function toolsBinDir(env: Env = process.env): string {
  return path.join(cacheDir(env), "bin", "current");
}

/** The access secret's hash (never the secret itself), when the server needs a login. */
export function accessSecretPath(env: Env = process.env): string {
  return path.resolve(
    /* turbopackIgnore: true */ readEnv(env).ICA_ACCESS_SECRET_FILE ??
      path.join(REPO_ROOT, "data", "access-secret.json"),
  );
}

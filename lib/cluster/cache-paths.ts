import path from "node:path";

// The cache of built binaries and the lite cluster's state. ICA_CACHE_DIR moves it out of the
// clone (CI keeps it in $HOME/.cache/ica-practice); the default is <repo>/.cache. npm runs
// every script, the server and the tests from the package folder, so the working directory
// is the anchor (Next's server bundle cannot see its sources' location).

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ env.ICA_CACHE_DIR || path.join(process.cwd(), ".cache"));
}

/** Where the lite driver keeps its data, logs and kubeconfig. */
export function liteDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), "lite");
}

export function liteKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(liteDir(env), "kubeconfig");
}

/** The lite cluster's read-only credential, which Check uses. */
export function liteGraderKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(liteDir(env), "grader.kubeconfig");
}

/** Stable-named links (kubectl, istioctl, ...) to the pinned builds, for a learner's PATH. */
export function toolsBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), "bin", "current");
}

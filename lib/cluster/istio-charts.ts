import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvSource } from "../env";
import { istioChartsRoot, REPO_ROOT } from "../paths";
import { findGo, ISTIO_HUB, ISTIO_VERSION, istioCommitOf, istioModuleVersion } from "./control-plane-binaries";
import { runCommandOrThrow } from "./drivers/run-command";
import type { ProgressFn } from "./drivers/types";

// Istio's Helm charts from the pinned Istio module (the same commit as istioctl and istiod),
// copied into the cache for `helm install` tasks. The learner's terminal gets the folder as
// $ICA_ISTIO_CHARTS: `helm install istio-base $ICA_ISTIO_CHARTS/base -n istio-system`.

/** Each chart's folder under $ICA_ISTIO_CHARTS (named as Istio's Helm repository names them) and in the module. */
export const ISTIO_CHARTS = {
  base: "manifests/charts/base",
  istiod: "manifests/charts/istio-control/istio-discovery",
  gateway: "manifests/charts/gateway",
  cni: "manifests/charts/istio-cni", // ambient needs cni and ztunnel too
  ztunnel: "manifests/charts/ztunnel",
} as const;

/**
 * The source tree says version 1.0.0 and images from Istio's testing registry, tag `latest`:
 * Istio's release build rewrites both, and so does this copy. A chart version must be SemVer,
 * which `1.31-dev` is not.
 */
export const ISTIO_CHART_VERSION = ISTIO_VERSION.replace(/^(\d+\.\d+)-/, "$1.0-");

/** $ICA_ISTIO_CHARTS: <cache>/istio-charts/<Istio version>-<commit>/, one folder per chart. */
export function istioChartsDir(env: EnvSource = process.env): string {
  return join(istioChartsRoot(env), `${ISTIO_VERSION}-${istioCommitOf(istioModuleVersion())}`);
}

/**
 * The charts' folder when `up` has copied them. Optional: a server started outside the repo
 * (REPO_ROOT is the working directory) cannot name the Istio build, and its shells start without.
 */
export function copiedIstioCharts(): string | undefined {
  try {
    const dir = istioChartsDir();
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Chart.yaml and values.yaml as Istio's release build leaves them. */
export function releaseChartFile(name: string, text: string): string {
  if (name === "Chart.yaml")
    return text
      .replace(/^version: .*$/m, `version: ${ISTIO_CHART_VERSION}`)
      .replace(/^appVersion: .*$/m, `appVersion: ${ISTIO_VERSION}`);
  if (name === "values.yaml")
    return text
      .replace(/^(\s*)hub: registry\.istio\.io\/testing\s*$/gm, `$1hub: ${ISTIO_HUB}`)
      .replace(/^(\s*)tag: latest\s*$/gm, `$1tag: ${ISTIO_VERSION}`);
  return text;
}

// A plain recursive copy: the module cache's files and folders are read-only, and a copy that
// kept their modes could not be rewritten or removed by a learner who is not root. The charts
// hold text only (YAML, templates, Markdown, a JSON schema).
function copyChart(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyChart(source, join(to, entry.name));
    else if (entry.isFile())
      writeFileSync(join(to, entry.name), releaseChartFile(entry.name, readFileSync(source, "utf8")));
  }
}

async function istioModuleDir(): Promise<string> {
  const module = `istio.io/istio@${istioModuleVersion()}`;
  const download = await runCommandOrThrow(findGo(), ["mod", "download", "-json", module], {
    env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" },
    cwd: join(REPO_ROOT, "scripts", "control-plane", "istioctl"),
  });
  const { Dir } = JSON.parse(download) as { Dir?: string };
  if (!Dir) throw new Error(`go mod download gave no directory for ${module}`);
  return Dir;
}

/** Copies the charts into istioChartsDir() unless they are there; returns that folder. */
export async function ensureIstioCharts(onProgress: ProgressFn = () => {}): Promise<string> {
  const dir = istioChartsDir();
  if (existsSync(dir)) return dir;
  const moduleDir = await istioModuleDir();
  // Copy beside the target and rename, so an interrupted copy never looks complete.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  for (const [name, source] of Object.entries(ISTIO_CHARTS)) copyChart(join(moduleDir, source), join(partial, name));
  renameSync(partial, dir);
  onProgress(`copied Istio's charts (${Object.keys(ISTIO_CHARTS).join(", ")}) to ${dir} ($ICA_ISTIO_CHARTS)`);
  return dir;
}

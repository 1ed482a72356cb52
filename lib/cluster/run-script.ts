// A scenario's shell script (`*.sh` in setup, a solution, an alternative or a mistake): what a
// learner types in the terminal, for answers that are commands rather than manifests
// (`istioctl install -f iop.yaml`, `helm install`, `istioctl tag set`). It runs with bash in its
// own folder, with the terminal's tools first on PATH, KUBECONFIG at the cluster and
// $ICA_ISTIO_CHARTS, and is judged by what it leaves in the cluster.
import path from "node:path";
import type { ActiveCluster } from "./active-cluster";
import { runCommand } from "./drivers/run-command";
import { copiedIstioCharts } from "./istio-charts";

export const isScript = (file: string): boolean => file.endsWith(".sh");

export async function runScript(
  cluster: ActiveCluster,
  file: string,
  timeoutMs = 300_000,
): Promise<{ ok: true; output: string } | { ok: false; message: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: cluster.kubeconfig ?? "" };
  if (cluster.binDir) env.PATH = [cluster.binDir, env.PATH].filter(Boolean).join(path.delimiter);
  const charts = copiedIstioCharts();
  if (charts) env.ICA_ISTIO_CHARTS = charts;
  const result = await runCommand("bash", ["-euo", "pipefail", file], { cwd: path.dirname(file), env, timeoutMs });
  const output = `${result.stdout}${result.stderr}`.trim();
  return result.code === 0
    ? { ok: true, output: `${result.stdout}` }
    : {
        ok: false,
        message: `${path.basename(file)} exited with ${result.code}: ${output.split("\n").slice(-8).join("\n")}`,
      };
}

// The kind driver: one kind node (Kubernetes 1.33, image pinned by digest) with the ingress
// gateway on 127.0.0.1:80/443, Istio installed by the exam's istioctl release (default
// profile), the Gateway API CRDs and the sample apps: a real data plane. `up` reuses a healthy
// cluster, repairs a missing piece, and refuses one of another Istio version.
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type EnvSource, readEnv } from "../../env";
import { cacheDir, toolsBinDir } from "../../paths";
import { baselineFileName } from "../mesh-scope";
import { checkDocker, checkKind, checkMemory, checkPorts, istioVersionMismatch, KindError } from "./kind-diagnostics";
import { describeGraderKubeconfig, graderSteps, setUpGrader } from "./kind-grader";
import { inspectCluster, isHealthy, isMeshReady } from "./kind-inspect";
import { describeIstioctl, istioctlRelease, resolveIstioctl } from "./kind-istioctl";
import {
  examIstioVersion,
  formatStep,
  GATEWAY_API_VERSION,
  gatewayApiSteps,
  INGRESS_PORTS,
  istioOperatorYaml,
  istioSteps,
  KIND_CLUSTER,
  KIND_CONTEXT,
  KIND_NODE_CONTAINER,
  KIND_NODE_IMAGE,
  kindConfigYaml,
  kindPaths,
  kubectlCommand,
  MIN_MEMORY_BYTES,
  type PlanContext,
  planFreshUp,
  proberSteps,
  proberWaitSteps,
  type Step,
  samplesSteps,
  waitSteps,
} from "./kind-plan";
import { createToolRun, runStep, type ToolRun } from "./kind-run";
import type { Driver, DriverStatus, ProgressFn, StatusPiece, UpResult } from "./types";
import { waitUntil } from "./wait-until";

export interface KindDriverOptions {
  env?: EnvSource;
  /** print every command of `up`/`down` in order and run none */
  dryRun?: boolean;
  /** where --dry-run prints (stdout) */
  print?: (line: string) => void;
  /** host ports checked before a cluster is created (tests use free ones) */
  ports?: number[];
}

export function createKindDriver(options: KindDriverOptions = {}): Driver {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => console.log(line));
  const paths = kindPaths(env);
  return {
    name: "kind",
    up: (onProgress) => (options.dryRun ? printUpPlan(env, print) : upKind(env, onProgress, options.ports)),
    down: (onProgress) => (options.dryRun ? printDownPlan(env, print) : downKind(env, onProgress)),
    status: () => readKindStatus(env),
    kubeconfigPath: () => paths.kubeconfig,
  };
}

/** The kind cluster's mesh baseline (recorded by the first scenario setup, as on `current`). */
export function kindBaselinePath(env: EnvSource = process.env): string {
  return path.join(cacheDir(env), "baselines", baselineFileName(kindPaths(env).kubeconfig, KIND_CONTEXT));
}

async function isClusterListed(run: ToolRun): Promise<boolean> {
  const result = await run("kind", ["get", "clusters"], { timeoutS: 30 });
  if (result.code !== 0) throw new Error(`kind get clusters failed: ${result.stderr.trim()}`);
  return result.stdout.split("\n").some((line) => line.trim() === KIND_CLUSTER);
}

async function checkKubectl(run: ToolRun, kubectl: string): Promise<void> {
  const result = await run(kubectl, ["version", "--client", "-o", "json"], { timeoutS: 20 });
  if (result.code === 0) return;
  throw new KindError(
    "kubectl",
    `kubectl ${result.missing ? "is not installed (no kubectl on PATH)" : `does not run: ${result.stderr.trim()}`}`,
    "Install kubectl (https://kubernetes.io/docs/tasks/tools/), or build the pinned one: npm run cluster -- up --driver lite.",
  );
}

function writeConfigs(paths: ReturnType<typeof kindPaths>): void {
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.kindConfig, kindConfigYaml());
  writeFileSync(paths.istioOperator, istioOperatorYaml());
}

/** <kind dir>/bin: istioctl (the release) and kubectl, for `env` and the player's terminal. */
function linkTools(paths: ReturnType<typeof kindPaths>, istioctl: string, env: EnvSource): void {
  rmSync(paths.binDir, { recursive: true, force: true });
  mkdirSync(paths.binDir, { recursive: true });
  symlinkSync(path.resolve(istioctl), path.join(paths.binDir, "istioctl"));
  const kubectl = path.join(toolsBinDir(env), "kubectl");
  if (existsSync(kubectl)) symlinkSync(kubectl, path.join(paths.binDir, "kubectl"));
}

async function upKind(env: EnvSource, onProgress: ProgressFn, ports?: number[]): Promise<UpResult> {
  const started = Date.now();
  const run = createToolRun(env);
  const paths = kindPaths(env);
  const version = examIstioVersion(env);
  const docker = await checkDocker(run);
  await checkKind(run);
  const kubectl = kubectlCommand(env);
  await checkKubectl(run, kubectl);
  const istioctl = await resolveIstioctl(env, run, onProgress);
  const ctx: PlanContext = { paths, kubectl, istioctl };
  writeConfigs(paths);
  const runSteps = async (steps: Step[]) => {
    for (const step of steps) await runStep(run, step, onProgress);
  };
  const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;

  if (!(await isClusterListed(run))) {
    checkMemory(docker);
    await checkPorts(ports);
    rmSync(kindBaselinePath(env), { force: true }); // a deleted cluster's baseline
    await runSteps(planFreshUp(ctx, version));
    await setUpGrader(run, ctx, onProgress);
    linkTools(paths, istioctl, env);
    onProgress(`kind cluster ${KIND_CLUSTER} up in ${seconds()}: Istio ${version}, ingress on 127.0.0.1:80 and :443`);
    return { kubeconfig: paths.kubeconfig, reused: false };
  }

  const node = await run("docker", ["inspect", "-f", "{{.State.Running}}", KIND_NODE_CONTAINER], { timeoutS: 20 });
  if (node.stdout.trim() !== "true") {
    await runStep(
      run,
      {
        what: `starting the stopped node ${KIND_NODE_CONTAINER}`,
        command: "docker",
        args: ["start", KIND_NODE_CONTAINER],
        timeoutS: 60,
      },
      onProgress,
    );
  }
  if (!existsSync(paths.kubeconfig)) {
    await runStep(
      run,
      {
        what: `writing the cluster's kubeconfig to ${paths.kubeconfig}`,
        command: "kind",
        args: ["export", "kubeconfig", "--name", KIND_CLUSTER, "--kubeconfig", paths.kubeconfig],
        timeoutS: 30,
      },
      onProgress,
    );
  }
  await waitUntil(
    async () => (await run(kubectl, ["--kubeconfig", paths.kubeconfig, "get", "--raw", "/readyz"])).code === 0,
    { what: "the kind cluster's API server", timeoutMs: 120_000, onProgress, intervalMs: 1000 },
  );
  const found = await inspectCluster(run, kubectl, paths.kubeconfig);
  if (found.istio && found.istio !== version) throw istioVersionMismatch(found.istio, version);
  const repairs: [string, Step[]][] = [];
  if (!found.gatewayApi) repairs.push(["the Gateway API CRDs", gatewayApiSteps(ctx)]);
  if (!found.istiod.present || !found.ingress.present) repairs.push([`Istio ${version}`, istioSteps(ctx, version)]);
  if (found.samples.some((s) => !s.present)) repairs.push(["the sample apps", samplesSteps(ctx)]);
  // the prober comes after the waits (istiod answering injects its sidecar)
  const prober = !found.prober.present ? proberSteps(ctx) : !found.prober.ready ? proberWaitSteps(ctx) : [];
  const lacks = [...repairs.map(([what]) => what), ...(found.prober.present ? [] : ["the prober (traffic checks)"])];
  onProgress(
    lacks.length === 0
      ? `reusing the kind cluster ${KIND_CLUSTER} (Istio ${found.istio})`
      : `reusing the kind cluster ${KIND_CLUSTER}; installing what it lacks: ${lacks.join(", ")}`,
  );
  for (const [, steps] of repairs) await runSteps(steps);
  if (repairs.length > 0 || !isMeshReady(found)) await runSteps(waitSteps(ctx));
  await runSteps(prober);
  if (!existsSync(paths.graderKubeconfig)) await setUpGrader(run, ctx, onProgress);
  linkTools(paths, istioctl, env);
  onProgress(`kind cluster ${KIND_CLUSTER} ready in ${seconds()}`);
  return { kubeconfig: paths.kubeconfig, reused: true };
}

async function downKind(env: EnvSource, onProgress: ProgressFn): Promise<void> {
  const run = createToolRun(env);
  const paths = kindPaths(env);
  await checkDocker(run);
  await checkKind(run);
  if (await isClusterListed(run)) {
    await runStep(run, deleteStep(paths.kubeconfig), onProgress);
  } else {
    onProgress(`no kind cluster ${KIND_CLUSTER}: nothing to delete`);
  }
  for (const file of [
    paths.kubeconfig,
    paths.graderKubeconfig,
    paths.binDir,
    paths.kindConfig,
    paths.istioOperator,
    kindBaselinePath(env),
  ]) {
    rmSync(file, { recursive: true, force: true });
  }
}

const deleteStep = (kubeconfig: string): Step => ({
  what: `deleting the kind cluster ${KIND_CLUSTER}`,
  command: "kind",
  args: ["delete", "cluster", "--name", KIND_CLUSTER, "--kubeconfig", kubeconfig],
  timeoutS: 120,
});

async function readKindStatus(env: EnvSource): Promise<DriverStatus> {
  const run = createToolRun(env);
  const paths = kindPaths(env);
  const version = examIstioVersion(env);
  // the exam's Istio version is printed by `npm run cluster -- status` for every driver
  const header = [`cluster: ${KIND_CLUSTER} (node image ${KIND_NODE_IMAGE})`];
  const stopped = (why: string): DriverStatus => ({ running: false, details: [...header, why] });
  try {
    await checkDocker(run);
    await checkKind(run);
  } catch (error) {
    if (error instanceof KindError) return stopped(error.summary);
    throw error;
  }
  if (!(await isClusterListed(run)))
    return stopped(`no kind cluster ${KIND_CLUSTER}: npm run cluster -- up --driver kind`);
  const node = await run("docker", ["inspect", "-f", "{{.State.Running}}", KIND_NODE_CONTAINER], { timeoutS: 20 });
  if (node.stdout.trim() !== "true") return stopped(`node ${KIND_NODE_CONTAINER}: not running (up starts it)`);
  if (!existsSync(paths.kubeconfig)) return stopped(`no kubeconfig at ${paths.kubeconfig} (up writes it)`);
  let found: Awaited<ReturnType<typeof inspectCluster>>;
  try {
    found = await inspectCluster(run, kubectlCommand(env), paths.kubeconfig);
  } catch (error) {
    return stopped((error as Error).message);
  }
  const ports = INGRESS_PORTS.map((p) => `127.0.0.1:${p.hostPort}`).join(", ");
  const istio = found.istio
    ? `${found.istio}${found.istio === version ? "" : ` (NOT the exam's ${version}: recreate with down, then up)`}`
    : "not installed";
  const details = [
    ...header,
    `node ${KIND_NODE_CONTAINER}: running`,
    `Kubernetes: ${found.kubernetes ?? "unknown"}`,
    `Istio: ${istio}`,
    `istiod: ${found.istiod.detail}`,
    `istio-ingressgateway: ${found.ingress.detail} (published on ${ports})`,
    `Gateway API CRDs: ${found.gatewayApi ?? "missing"}`,
    `sample apps: ${found.samples.map((s) => `${s.name} ${s.detail}`).join(", ")}`,
    `prober (traffic checks): ${found.prober.present ? found.prober.detail : "missing (up deploys it)"}`,
    `Check's read-only credential: ${existsSync(paths.graderKubeconfig) ? paths.graderKubeconfig : "missing (up writes it)"}`,
  ];
  const hasGrader = existsSync(paths.graderKubeconfig);
  const pieces: StatusPiece[] = [
    { name: "Istio", isReady: found.istio === version, detail: istio },
    ...[found.istiod, found.ingress, ...found.samples, found.prober].map((p) => ({
      name: p.name,
      isReady: p.ready,
      detail: p.detail,
    })),
    { name: "Gateway API CRDs", isReady: Boolean(found.gatewayApi), detail: found.gatewayApi ?? "missing" },
    { name: "Check's credential", isReady: hasGrader, detail: hasGrader ? "read-only" : "missing (up writes it)" },
  ];
  return {
    running: isHealthy(found) && found.istio === version && hasGrader,
    kubeconfig: paths.kubeconfig,
    details,
    kubernetesVersion: found.kubernetes,
    istioVersion: found.istio,
    pieces,
  };
}

async function printUpPlan(env: EnvSource, print: (line: string) => void): Promise<UpResult> {
  const paths = kindPaths(env);
  const version = examIstioVersion(env);
  const istioctl = readEnv(env).ICA_ISTIOCTL ?? istioctlRelease(env).binary;
  const ctx: PlanContext = { paths, kubectl: kubectlCommand(env), istioctl };
  const block = (text: string) => `    ${text.trimEnd().replaceAll("\n", "\n    ")}`;
  print(`# kind driver, dry run: every command of up, in order; none is run.`);
  print(`# pinned: node ${KIND_NODE_IMAGE}, Istio ${version}, Gateway API ${GATEWAY_API_VERSION}`);
  print("# preflight (each failure is a diagnostic with what to do)");
  print(`docker info --format '{{json .}}'`);
  print("kind version");
  print(`${ctx.kubectl} version --client -o json`);
  print("# istioctl (the official release; the Go-built development istioctl cannot install on kind)");
  for (const line of describeIstioctl(env)) print(line);
  print(`write ${paths.kindConfig}:`);
  print(block(kindConfigYaml()));
  print(`write ${paths.istioOperator}:`);
  print(block(istioOperatorYaml()));
  print("kind get clusters");
  print(
    `# a listed ${KIND_CLUSTER} is reused: only what it lacks is installed; one of another Istio version is refused`,
  );
  print(
    `# a new cluster: Docker memory >= ${MIN_MEMORY_BYTES / 1024 ** 3} GiB and ports ${INGRESS_PORTS.map((p) => p.hostPort).join(", ")} free on 127.0.0.1, then:`,
  );
  for (const step of [...planFreshUp(ctx, version), ...graderSteps(ctx)]) print(formatStep(step));
  print(describeGraderKubeconfig(paths));
  return { kubeconfig: paths.kubeconfig, reused: false };
}

async function printDownPlan(env: EnvSource, print: (line: string) => void): Promise<void> {
  const paths = kindPaths(env);
  print("# kind driver, dry run: every command of down, in order; none is run.");
  print(`docker info --format '{{json .}}'`);
  print("kind version");
  print("kind get clusters");
  print(formatStep(deleteStep(paths.kubeconfig)));
  print(
    `remove ${paths.kubeconfig}, ${paths.graderKubeconfig}, ${paths.binDir}, ${paths.kindConfig}, ${paths.istioOperator}, ${kindBaselinePath(env)}`,
  );
}

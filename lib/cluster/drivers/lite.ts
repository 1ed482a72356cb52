import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, liteBareDir, liteDir } from "../../paths";
import { binaryPath, ensureBinaries, kubernetesVersion } from "../control-plane-binaries";
import { ensureIstioCharts } from "../istio-charts";
import { readMeshBaseline, recordMeshBaseline } from "../mesh-scope";
import {
  BARE_CONTEXT_NAME,
  CONTEXT_NAME,
  isApiserverReady,
  isComponentHealthy,
  liteGraderRbac,
  readToken,
  writeCredentials,
  writeKubeconfigs,
} from "./lite-access";
import {
  type LitePorts,
  pickPorts,
  startApiserver,
  startControllerManager,
  startEtcd,
  startKwok,
  startScheduler,
} from "./lite-components";
import {
  addFakeNode,
  applyManifests,
  createKubectl,
  deploySamples,
  installCrds,
  installIstioObjects,
  type Kubectl,
  renderIstio,
  SAMPLES_NAMESPACE,
  waitForDeployments,
} from "./lite-install";
import {
  ISTIOD_HOST,
  type IstiodPorts,
  isIstiodReady,
  istiodPaths,
  pickIstiodPorts,
  probeValidationWebhook,
  readIstiodVersion,
  readRunningIstiods,
  setDefaultTag,
  startIstiodHost,
  writeEgressConfig,
  writeKwokConfig,
} from "./lite-istiod";
import { litePaths, readLiteState, removeLiteState, type TLiteState, withLiteLock, writeLiteState } from "./lite-state";
import { isRecordedProcessRunning, stopRecordedProcess } from "./processes";
import { runCommand } from "./run-command";
import type { Driver, DriverStatus, ProgressFn, StatusPiece, UpResult } from "./types";
import { waitUntil } from "./wait-until";

// The lite driver: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, KWOK
// and istiod (pilot-discovery, one per istiod Deployment, run by istiod-host.mjs) as local
// processes on 127.0.0.1, with Istio's API, injection and validation, but no data plane.
// A bare one (`{ bare: true }`) is the same without Istio installed (no Istio CRDs,
// istio-system or webhooks), for tasks that install Istio: its host starts an istiod for
// whatever the learner installs. It lives in <cache>/lite-bare/ with its own ports, so it runs
// beside the practice cluster.

type Paths = ReturnType<typeof litePaths>;

export function createLiteDriver(options: { bare?: boolean } = {}): Driver {
  const bare = options.bare ?? false;
  const paths = () => litePaths(bare ? liteBareDir() : liteDir());
  return {
    name: bare ? "lite-bare" : "lite",
    up: (onProgress) => withLiteLock(onProgress, () => upLite(paths(), bare, onProgress), paths()),
    down: (onProgress) => withLiteLock(onProgress, () => downLite(paths(), onProgress), paths()),
    status: () => readLiteStatus(paths()),
    kubeconfigPath: () => paths().kubeconfig,
  };
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** <dir>/mesh-baseline.json (for the practice cluster, mesh-scope's liteMeshBaselinePath()). */
const meshBaselineFile = (paths: Paths) => join(paths.dir, "mesh-baseline.json");

async function isStateRunning(state: TLiteState, paths: Paths): Promise<boolean> {
  return (
    // A cluster from before the host ran on every lite cluster has none: it is started afresh.
    state.processes.some((p) => p.name === ISTIOD_HOST) &&
    state.processes.every(isRecordedProcessRunning) &&
    (await isApiserverReady(paths, state.ports.apiserver))
  );
}

async function stopProcesses(state: TLiteState, paths: Paths, onProgress: ProgressFn): Promise<void> {
  // Reverse start order: KWOK and the controllers first, etcd last.
  for (const proc of [...state.processes].reverse()) {
    if (!isRecordedProcessRunning(proc)) continue;
    onProgress(`stopping ${proc.name} (pid ${proc.pid})`);
    await stopRecordedProcess(proc);
  }
  // The host stops its istiods; those left behind by a host that was killed are stopped here.
  const istiod = binaryPath("pilot-discovery");
  for (const { pid, key } of readRunningIstiods(paths, istiod)) {
    if (!pid) continue;
    onProgress(`stopping istiod ${key} (pid ${pid})`);
    await stopRecordedProcess({ name: "istiod", pid, command: istiod });
  }
}

/** What `up` installed in the root namespace and the mesh config: what Reset restores a scenario's mesh scope to. */
async function recordBaseline(
  kubectlBinary: string,
  kubeconfig: string,
  file: string,
  onProgress: ProgressFn,
): Promise<void> {
  const run = (args: string[], input?: string) =>
    runCommand(kubectlBinary, ["--kubeconfig", kubeconfig, ...args], { input });
  const baseline = await recordMeshBaseline(run, file, "lite");
  onProgress(`mesh baseline recorded (${baseline.objects.length} objects, ${baseline.kinds.length} kinds): ${file}`);
}

type Binaries = Awaited<ReturnType<typeof ensureBinaries>>;

/**
 * Istio as `up` installs it: CRDs, the istio-system objects (the istiod Deployment among them, for
 * which the host starts istiod), with its webhooks answering.
 */
async function installIstio(
  binaries: Binaries,
  paths: Paths,
  kubectl: Kubectl,
  rendered: ReturnType<typeof renderIstio>,
  istiodPorts: IstiodPorts,
  waitFor: (what: string, check: () => Promise<boolean | string>, timeoutMs?: number) => Promise<void>,
  onProgress: ProgressFn,
): Promise<void> {
  const { crds, objects } = await rendered;
  await installCrds(kubectl, crds, onProgress);
  await installIstioObjects(kubectl, objects, onProgress);

  const istiodStarted = Date.now();
  onProgress(
    `the host starts istiod (pilot-discovery) on 127.0.0.1:${istiodPorts.istiodHttps} for the istiod Deployment`,
  );
  await waitFor("istiod /ready", () => isIstiodReady(istiodPorts), 120_000);
  onProgress(`istiod ready after ${seconds(istiodStarted)}; setting the default revision tag`);
  await setDefaultTag(binaries.istioctl, paths.kubeconfig);
  await waitFor(
    "kube-apiserver to reach istiod's validating webhook",
    () => probeValidationWebhook(binaries.kubectl, paths.kubeconfig),
    60_000,
  );
  onProgress(`istiod answers its webhooks (${seconds(istiodStarted)} after its start)`);
}

/**
 * Builds missing binaries and copies the charts under <cache>/bin/build.lock: the practice and
 * the bare cluster hold different locks, and two builds of one binary would write one file.
 */
function ensureTools(onProgress: ProgressFn): Promise<Binaries> {
  const dir = join(cacheDir(), "bin");
  return withLiteLock(
    onProgress,
    async () => {
      const binaries = await ensureBinaries(onProgress);
      await ensureIstioCharts(onProgress);
      return binaries;
    },
    { dir, lock: join(dir, "build.lock") },
  );
}

async function upLite(paths: Paths, bare: boolean, onProgress: ProgressFn): Promise<UpResult> {
  const binaries = await ensureTools(onProgress);
  const started = Date.now();
  const what = bare ? "bare lite cluster" : "lite cluster";

  const previous = readLiteState(paths);
  if (previous?.ready && (await isStateRunning(previous, paths))) {
    onProgress(`reusing the running ${what} (kube-apiserver on 127.0.0.1:${previous.ports.apiserver})`);
    // A cluster started before baselines were recorded gets one now; an existing one stays.
    if (!bare && !readMeshBaseline(meshBaselineFile(paths)))
      await recordBaseline(binaries.kubectl, previous.kubeconfig, meshBaselineFile(paths), onProgress);
    return { kubeconfig: previous.kubeconfig, reused: true };
  }
  if (previous) {
    onProgress(`found a stopped or half-started ${what}: cleaning it up`);
    await stopProcesses(previous, paths, onProgress);
  }

  // A fresh cluster every time: old etcd data would not match the new keys and ports.
  for (const dir of [paths.etcdData, paths.pki, paths.manifests, paths.logs]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // etcd warns about wider data dirs
  }
  rmSync(meshBaselineFile(paths), { force: true }); // an older cluster's: recorded again once installed
  writeCredentials(paths);
  const ports: LitePorts = await pickPorts();
  // A bare cluster has the host too: it starts an istiod for whatever the learner installs.
  const istiodPorts = await pickIstiodPorts(Object.values(ports));
  const egressConfig = writeEgressConfig(paths);
  const kwokConfig = writeKwokConfig(paths, istiodPorts);
  const state: TLiteState = {
    dataDir: paths.dir,
    kubeconfig: paths.kubeconfig,
    ports: { ...ports, ...istiodPorts },
    processes: [],
    ready: false,
    startedAt: new Date().toISOString(),
    ...(bare ? { bare } : {}),
  };
  const hint = `logs in ${paths.logs}`;
  const waitFor = (what: string, check: () => Promise<boolean | string>, timeoutMs = 60_000) =>
    waitUntil(check, { what, timeoutMs, onProgress, hint });

  try {
    onProgress(`starting etcd on 127.0.0.1:${ports.etcd}`);
    state.processes.push(startEtcd(binaries, paths, ports));
    writeLiteState(state, paths);
    await waitFor("etcd", () => isComponentHealthy(ports.etcd, "/health", false));

    onProgress(`starting kube-apiserver on 127.0.0.1:${ports.apiserver}`);
    state.processes.push(startApiserver(binaries, paths, ports, egressConfig));
    writeLiteState(state, paths);
    // Render while kube-apiserver starts: both take seconds.
    const istio = bare ? undefined : renderIstio(binaries.istioctl, paths.manifests);
    istio?.catch(() => {}); // awaited below; avoids an unhandled rejection meanwhile
    await waitFor("kube-apiserver /readyz", () => isApiserverReady(paths, ports.apiserver), 120_000);
    writeKubeconfigs(paths, ports.apiserver, bare ? BARE_CONTEXT_NAME : CONTEXT_NAME);
    onProgress("starting the istiod host (kube-apiserver's CONNECT proxy; an istiod per istiod Deployment)");
    state.processes.push(
      startIstiodHost(binaries, paths, istiodPorts, { port: ports.apiserver, token: readToken(paths) }),
    );
    writeLiteState(state, paths);

    onProgress("starting kube-controller-manager, kube-scheduler and kwok");
    state.processes.push(startControllerManager(binaries, paths, ports));
    state.processes.push(startScheduler(binaries, paths, ports));
    state.processes.push(startKwok(binaries, paths, ports, kwokConfig));
    writeLiteState(state, paths);
    await waitFor("kube-controller-manager", () => isComponentHealthy(ports.controllerManager, "/healthz", true));
    await waitFor("kube-scheduler", () => isComponentHealthy(ports.scheduler, "/healthz", true));
    await waitFor("kwok", () => isComponentHealthy(ports.kwok, "/healthz", true));
    onProgress(`control plane ready after ${seconds(started)}`);

    const kubectl = createKubectl(binaries.kubectl, paths.kubeconfig);
    await addFakeNode(kubectl, kubernetesVersion());
    await applyManifests(kubectl, liteGraderRbac());
    if (istio) await installIstio(binaries, paths, kubectl, istio, istiodPorts, waitFor, onProgress);
    else await installCrds(kubectl, [], onProgress); // Gateway API only
    await deploySamples(kubectl, onProgress);
    await waitForDeployments(kubectl, bare ? [SAMPLES_NAMESPACE] : ["istio-system", SAMPLES_NAMESPACE], onProgress);
    if (!bare) await recordBaseline(binaries.kubectl, paths.kubeconfig, meshBaselineFile(paths), onProgress);

    state.ready = true;
    writeLiteState(state, paths);
    onProgress(`${what} up in ${seconds(started)}`);
    return { kubeconfig: paths.kubeconfig, reused: false };
  } catch (error) {
    onProgress(`up failed: stopping what it started (${hint})`);
    await stopProcesses(state, paths, onProgress);
    removeLiteState(paths);
    throw error;
  }
}

async function downLite(paths: Paths, onProgress: ProgressFn): Promise<void> {
  const started = Date.now();
  const state = readLiteState(paths);
  if (!state) {
    onProgress(`no cluster is recorded in ${paths.dir}: nothing to stop`);
    return;
  }
  await stopProcesses(state, paths, onProgress);
  // Logs stay for a post-mortem; data and credentials go.
  for (const path of [
    paths.etcdData,
    paths.pki,
    paths.manifests,
    paths.tokens,
    paths.kubeconfig,
    paths.graderKubeconfig,
    meshBaselineFile(paths),
    istiodPaths(paths).dir,
    istiodPaths(paths).egressConfig,
    istiodPaths(paths).kwokConfig,
  ]) {
    rmSync(path, { recursive: true, force: true });
  }
  removeLiteState(paths);
  onProgress(`${state.bare ? "bare lite cluster" : "lite cluster"} stopped in ${seconds(started)}`);
}

async function readLiteStatus(paths: Paths): Promise<DriverStatus> {
  const state = readLiteState(paths);
  if (!state) return { running: false, details: [`no cluster recorded in ${paths.dir}`] };
  const running = state.ready && (await isStateRunning(state, paths));
  const details = [
    `data dir: ${state.dataDir}${state.bare ? " (bare: no Istio)" : ""}`,
    `started: ${state.startedAt}${state.ready ? "" : " (setup did not finish)"}`,
    `ports: ${Object.entries(state.ports)
      .map(([name, port]) => `${name}=${port}`)
      .join(" ")}`,
    ...state.processes.map(
      (p) =>
        `${p.name}: pid ${p.pid} ${isRecordedProcessRunning(p) ? "running" : "not running"} (log ${join(state.dataDir, "logs", `${p.name}.log`)})`,
    ),
  ];
  const pieces: StatusPiece[] = state.processes.map((p) => {
    const isRunning = isRecordedProcessRunning(p);
    return { name: p.name, isReady: isRunning, detail: isRunning ? "running" : "not running" };
  });
  const status: DriverStatus = {
    running,
    kubeconfig: state.kubeconfig,
    details,
    kubernetesVersion: kubernetesVersion(),
    pieces,
  };
  if (state.processes.some((p) => p.name === ISTIOD_HOST)) {
    const istiod = await describeIstiods(state, paths);
    details.push(...istiod.lines);
    pieces.push(...istiod.pieces);
    status.istioVersion = istiod.version;
  }
  return status;
}

/**
 * The istiods the host runs, one piece each. The practice cluster also needs its own istiod (the
 * one on the fixed ports) and its webhooks answering; a bare one may have none (Istio not installed).
 */
async function describeIstiods(
  state: TLiteState,
  paths: Paths,
): Promise<{ lines: string[]; pieces: StatusPiece[]; version?: string }> {
  const istiods = readRunningIstiods(paths, binaryPath("pilot-discovery"));
  const lines: string[] = [];
  const pieces: StatusPiece[] = [];
  let version: string | undefined;
  for (const istiod of istiods) {
    const own = istiod.pid ? await readIstiodVersion(istiod.ports.monitoring) : undefined;
    version ??= own;
    const running = istiod.pid ? `running, version ${own ?? "unknown"}` : "not running";
    lines.push(
      `istiod ${istiod.key} (revision ${istiod.revision}): ${istiod.pid ? `pid ${istiod.pid} ` : ""}${running}, https 127.0.0.1:${istiod.ports.https} (log ${istiod.log})`,
    );
    const name = istiod.key === "istio-system/istiod" ? "istiod" : `istiod ${istiod.key}`;
    pieces.push({ name, isReady: Boolean(istiod.pid), detail: `${running} (revision ${istiod.revision})` });
  }
  if (state.bare) {
    if (istiods.length === 0) lines.push("istiod: none (no istiod Deployment: Istio is not installed)");
    return { lines, pieces, version };
  }
  const pid = istiods.find((i) => i.key === "istio-system/istiod")?.pid;
  if (!pid)
    pieces.push({ name: "istiod", isReady: false, detail: "not running (is the istiod Deployment scaled to zero?)" });
  const webhooks = pid
    ? await probeValidationWebhook(binaryPath("kubectl"), state.kubeconfig)
    : "istiod is not running";
  const webhookDetail =
    webhooks === true
      ? "reachable (validation.istio.io answers kube-apiserver)"
      : `NOT reachable: ${webhooks.split("\n")[0]}`;
  lines.push(`istiod webhooks: ${webhookDetail}`);
  pieces.push({ name: "istiod webhooks", isReady: webhooks === true, detail: webhookDetail });
  return { lines, pieces, version };
}

import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { binaryPath, ensureBinaries, kubernetesVersion } from "../control-plane-binaries";
import { liteMeshBaselinePath, readMeshBaseline, recordMeshBaseline } from "../mesh-scope";
import { graderRbac, isApiserverReady, isComponentHealthy, writeCredentials, writeKubeconfigs } from "./lite-access";
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
  readIstiodClusterIP,
  readIstiodPid,
  readIstiodVersion,
  setDefaultTag,
  startIstiodHost,
  writeEgressConfig,
  writeKwokConfig,
} from "./lite-istiod";
import { litePaths, readLiteState, removeLiteState, type TLiteState, withLiteLock, writeLiteState } from "./lite-state";
import { isRecordedProcessRunning, stopRecordedProcess } from "./processes";
import { runCommand } from "./run-command";
import type { Driver, DriverStatus, ProgressFn, UpResult } from "./types";
import { waitUntil } from "./wait-until";

// The lite driver: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, KWOK
// and istiod (pilot-discovery, supervised by istiod-host.mjs) as local processes on
// 127.0.0.1, with Istio's API, injection and validation, but no data plane.

export function createLiteDriver(): Driver {
  return {
    name: "lite",
    up: (onProgress) => withLiteLock(onProgress, () => upLite(onProgress)),
    down: (onProgress) => withLiteLock(onProgress, () => downLite(onProgress)),
    status: readLiteStatus,
    kubeconfigPath: () => litePaths().kubeconfig,
  };
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function isStateRunning(state: TLiteState): Promise<boolean> {
  return (
    // A cluster from before istiod ran on lite has no host: it is started afresh.
    state.processes.some((p) => p.name === ISTIOD_HOST) &&
    state.processes.every(isRecordedProcessRunning) &&
    (await isApiserverReady(litePaths(), state.ports.apiserver))
  );
}

const istiodPortsOf = (state: TLiteState): IstiodPorts => state.ports as unknown as IstiodPorts;

async function stopProcesses(state: TLiteState, onProgress: ProgressFn): Promise<void> {
  // Reverse start order: KWOK and the controllers first, etcd last.
  for (const proc of [...state.processes].reverse()) {
    if (!isRecordedProcessRunning(proc)) continue;
    onProgress(`stopping ${proc.name} (pid ${proc.pid})`);
    await stopRecordedProcess(proc);
  }
  // The host stops istiod; one left behind by a host that was killed is stopped here.
  const istiod = binaryPath("pilot-discovery");
  const pid = readIstiodPid(litePaths(), istiod);
  if (pid) {
    onProgress(`stopping istiod (pid ${pid})`);
    await stopRecordedProcess({ name: "istiod", pid, command: istiod });
  }
}

/** What `up` installed in the root namespace and the mesh config: what Reset restores a scenario's mesh scope to. */
async function recordBaseline(kubectlBinary: string, kubeconfig: string, onProgress: ProgressFn): Promise<void> {
  const file = liteMeshBaselinePath();
  const run = (args: string[], input?: string) =>
    runCommand(kubectlBinary, ["--kubeconfig", kubeconfig, ...args], { input });
  const baseline = await recordMeshBaseline(run, file, "lite");
  onProgress(`mesh baseline recorded (${baseline.objects.length} objects, ${baseline.kinds.length} kinds): ${file}`);
}

async function upLite(onProgress: ProgressFn): Promise<UpResult> {
  const paths = litePaths();
  const binaries = await ensureBinaries(onProgress);
  const started = Date.now();

  const previous = readLiteState();
  if (previous?.ready && (await isStateRunning(previous))) {
    onProgress(`reusing the running lite cluster (kube-apiserver on 127.0.0.1:${previous.ports.apiserver})`);
    // A cluster started before baselines were recorded gets one now; an existing one stays.
    if (!readMeshBaseline(liteMeshBaselinePath()))
      await recordBaseline(binaries.kubectl, previous.kubeconfig, onProgress);
    return { kubeconfig: previous.kubeconfig, reused: true };
  }
  if (previous) {
    onProgress("found a stopped or half-started lite cluster: cleaning it up");
    await stopProcesses(previous, onProgress);
  }

  // A fresh cluster every time: old etcd data would not match the new keys and ports.
  for (const dir of [paths.etcdData, paths.pki, paths.manifests, paths.logs]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // etcd warns about wider data dirs
  }
  rmSync(liteMeshBaselinePath(), { force: true }); // an older cluster's: recorded again once installed
  writeCredentials(paths);
  const ports: LitePorts = await pickPorts();
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
  };
  const hint = `logs in ${paths.logs}`;
  const waitFor = (what: string, check: () => Promise<boolean | string>, timeoutMs = 60_000) =>
    waitUntil(check, { what, timeoutMs, onProgress, hint });

  try {
    onProgress(`starting etcd on 127.0.0.1:${ports.etcd}`);
    state.processes.push(startEtcd(binaries, paths, ports));
    writeLiteState(state);
    await waitFor("etcd", () => isComponentHealthy(ports.etcd, "/health", false));

    onProgress(`starting kube-apiserver on 127.0.0.1:${ports.apiserver}`);
    state.processes.push(startApiserver(binaries, paths, ports, egressConfig));
    writeLiteState(state);
    // Render while kube-apiserver starts: both take seconds.
    const istio = renderIstio(binaries.istioctl, paths.manifests);
    istio.catch(() => {}); // awaited below; avoids an unhandled rejection meanwhile
    await waitFor("kube-apiserver /readyz", () => isApiserverReady(paths, ports.apiserver), 120_000);
    writeKubeconfigs(paths, ports.apiserver);

    onProgress("starting kube-controller-manager, kube-scheduler and kwok");
    state.processes.push(startControllerManager(binaries, paths, ports));
    state.processes.push(startScheduler(binaries, paths, ports));
    state.processes.push(startKwok(binaries, paths, ports, kwokConfig));
    writeLiteState(state);
    await waitFor("kube-controller-manager", () => isComponentHealthy(ports.controllerManager, "/healthz", true));
    await waitFor("kube-scheduler", () => isComponentHealthy(ports.scheduler, "/healthz", true));
    await waitFor("kwok", () => isComponentHealthy(ports.kwok, "/healthz", true));
    onProgress(`control plane ready after ${seconds(started)}`);

    const kubectl = createKubectl(binaries.kubectl, paths.kubeconfig);
    await addFakeNode(kubectl, kubernetesVersion());
    await applyManifests(kubectl, graderRbac());
    const { crds, objects } = await istio;
    await installCrds(kubectl, crds, onProgress);
    await installIstioObjects(kubectl, objects, onProgress);

    const istiodStarted = Date.now();
    onProgress(`starting istiod (pilot-discovery) on 127.0.0.1:${istiodPorts.istiodHttps} and its CONNECT proxy`);
    state.processes.push(startIstiodHost(binaries, paths, istiodPorts, await readIstiodClusterIP(kubectl)));
    writeLiteState(state);
    await waitFor("istiod /ready", () => isIstiodReady(istiodPorts), 120_000);
    onProgress(`istiod ready after ${seconds(istiodStarted)}; setting the default revision tag`);
    await setDefaultTag(binaries.istioctl, paths.kubeconfig);
    await waitFor(
      "kube-apiserver to reach istiod's validating webhook",
      () => probeValidationWebhook(binaries.kubectl, paths.kubeconfig),
      60_000,
    );
    onProgress(`istiod answers its webhooks (${seconds(istiodStarted)} after its start)`);
    await deploySamples(kubectl, onProgress);
    await waitForDeployments(kubectl, ["istio-system", SAMPLES_NAMESPACE], onProgress);
    await recordBaseline(binaries.kubectl, paths.kubeconfig, onProgress);

    state.ready = true;
    writeLiteState(state);
    onProgress(`lite cluster up in ${seconds(started)}`);
    return { kubeconfig: paths.kubeconfig, reused: false };
  } catch (error) {
    onProgress(`up failed: stopping what it started (${hint})`);
    await stopProcesses(state, onProgress);
    removeLiteState();
    throw error;
  }
}

async function downLite(onProgress: ProgressFn): Promise<void> {
  const started = Date.now();
  const state = readLiteState();
  if (!state) {
    onProgress("no lite cluster is recorded: nothing to stop");
    return;
  }
  await stopProcesses(state, onProgress);
  const paths = litePaths();
  // Logs stay for a post-mortem; data and credentials go.
  for (const path of [
    paths.etcdData,
    paths.pki,
    paths.manifests,
    paths.tokens,
    paths.kubeconfig,
    paths.graderKubeconfig,
    liteMeshBaselinePath(),
    istiodPaths(paths).dir,
    istiodPaths(paths).egressConfig,
    istiodPaths(paths).kwokConfig,
  ]) {
    rmSync(path, { recursive: true, force: true });
  }
  removeLiteState();
  onProgress(`lite cluster stopped in ${seconds(started)}`);
}

async function readLiteStatus(): Promise<DriverStatus> {
  const state = readLiteState();
  if (!state) return { running: false, details: ["no lite cluster recorded"] };
  const running = state.ready && (await isStateRunning(state));
  const details = [
    `data dir: ${state.dataDir}`,
    `started: ${state.startedAt}${state.ready ? "" : " (setup did not finish)"}`,
    `ports: ${Object.entries(state.ports)
      .map(([name, port]) => `${name}=${port}`)
      .join(" ")}`,
    ...state.processes.map(
      (p) =>
        `${p.name}: pid ${p.pid} ${isRecordedProcessRunning(p) ? "running" : "not running"} (log ${join(state.dataDir, "logs", `${p.name}.log`)})`,
    ),
  ];
  if (state.processes.some((p) => p.name === ISTIOD_HOST)) details.push(...(await describeIstiod(state)));
  return { running, kubeconfig: state.kubeconfig, details };
}

async function describeIstiod(state: TLiteState): Promise<string[]> {
  const paths = litePaths();
  const pid = readIstiodPid(paths, binaryPath("pilot-discovery"));
  const ports = istiodPortsOf(state);
  const version = pid ? await readIstiodVersion(ports) : undefined;
  const webhooks = pid
    ? await probeValidationWebhook(binaryPath("kubectl"), state.kubeconfig)
    : "istiod is not running";
  return [
    `istiod: ${pid ? `pid ${pid} running` : "not running"}, version ${version ?? "unknown"} (log ${istiodPaths(paths).log})`,
    `istiod webhooks: ${webhooks === true ? "reachable (validation.istio.io answers kube-apiserver)" : `NOT reachable: ${webhooks.split("\n")[0]}`}`,
  ];
}

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { IPty } from "node-pty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binaryPath } from "../../lib/cluster/control-plane-binaries";
import { createLiteDriver } from "../../lib/cluster/drivers/lite";
import { probeValidationWebhook, type RunningIstiod, readRunningIstiods } from "../../lib/cluster/drivers/lite-istiod";
import { litePaths, readLiteState, type TLiteState } from "../../lib/cluster/drivers/lite-state";
import { isRecordedProcessRunning } from "../../lib/cluster/drivers/processes";
import { type CommandResult, runCommand } from "../../lib/cluster/drivers/run-command";
import { liteBareDir, toolsBinDir } from "../../lib/paths";
import { spawnShell } from "../../lib/terminal/spawn-shell";
import { kubeconfigPath } from "./lite";

// The bare lite cluster (Kubernetes and the sample apps, no Istio) for install tasks: started
// beside the practice cluster that global-setup.ts runs, on its own ports, and stopped cleanly.
// A bare cluster left running (by a proof or a learner) is stopped first: these tests need one
// without Istio.

const driver = createLiteDriver({ bare: true });
const barePaths = litePaths(liteBareDir());
const bareKubeconfig = barePaths.kubeconfig;
const log = (message: string) => console.log(`[lite-bare] ${message}`);
let state: TLiteState | undefined;

const workspaces = mkdtempSync(join(tmpdir(), "ica-bare-"));
const ptys: IPty[] = [];

function bareKubectl(args: string[]): Promise<CommandResult> {
  return runCommand(binaryPath("kubectl"), ["--kubeconfig", bareKubeconfig, ...args]);
}

function rssMiB(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  return match ? Number(match[1]) / 1024 : 0;
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Types a command line into a learner's shell pointed at the bare cluster; returns what it printed. */
async function runInShell(line: string, doneMarker: string): Promise<string> {
  const { pty } = spawnShell(
    "bare-cluster",
    {
      driver: "lite",
      name: "lite-bare",
      capabilities: { dataPlane: false },
      binDir: toolsBinDir(),
      kubeconfig: bareKubeconfig,
    },
    workspaces,
  );
  ptys.push(pty);
  let output = "";
  pty.onData((d) => {
    output += d;
  });
  pty.write(`${line}\r`);
  const deadline = Date.now() + 90_000;
  while (!output.includes(doneMarker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return output;
}

function bareIstioctl(args: string[]): Promise<CommandResult> {
  return runCommand(binaryPath("istioctl"), ["--kubeconfig", bareKubeconfig, ...args], { timeoutMs: 180_000 });
}

async function waitUntilTrue(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

/** Waits until the host runs a ready istiod for the Deployment (its /ready answers 200). */
async function waitForIstiod(key: string): Promise<RunningIstiod> {
  let found: RunningIstiod | undefined;
  await waitUntilTrue(async () => {
    found = readRunningIstiods(barePaths, binaryPath("pilot-discovery")).find((i) => i.key === key && i.pid);
    if (!found) return false;
    const res = await fetch(`http://127.0.0.1:${found.ports.http}/ready`).catch(() => undefined);
    return res?.status === 200;
  }, `istiod ${key} to be ready`);
  return found as RunningIstiod;
}

interface Pod {
  metadata: { annotations?: Record<string, string> };
  spec: { containers: { name: string }[] };
}

/** Creates a namespace with the labels and a pod in it; returns the pod as admitted. */
async function podOf(name: string, labels: Record<string, string>): Promise<Pod> {
  const ns = name.startsWith("injected-canary") ? "bare-canary" : `bare-${name}`;
  await bareKubectl(["create", "namespace", ns]);
  await bareKubectl(["label", "namespace", ns, "--overwrite", ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  const run = await bareKubectl(["run", name, "-n", ns, "--image=nginx", "--restart=Never", "-o", "json"]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Pod;
}

function rssOfIstiods(): { istiods: string; total: string } {
  const istiods = readRunningIstiods(barePaths, binaryPath("pilot-discovery")).flatMap((i) =>
    i.pid ? [rssMiB(i.pid)] : [],
  );
  const processes = (state?.processes ?? []).map((p) => rssMiB(p.pid));
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  return {
    istiods: istiods.map((m) => m.toFixed(0)).join(" + "),
    total: (sum(istiods) + sum(processes)).toFixed(0),
  };
}

beforeAll(async () => {
  await driver.down(log);
  const started = Date.now();
  await driver.up(log);
  state = readLiteState(litePaths(liteBareDir()));
  if (state) {
    const rss = state.processes.map((p) => ({ name: p.name, mib: rssMiB(p.pid) }));
    const total = rss.reduce((sum, p) => sum + p.mib, 0);
    console.log(`[measure] bare lite cluster start: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(
      `[measure] bare lite cluster RSS: ${total.toFixed(0)} MiB (${rss.map((p) => `${p.name} ${p.mib.toFixed(0)}`).join(", ")})`,
    );
  }
}, 600_000);

afterAll(async () => {
  for (const pty of ptys) {
    try {
      process.kill(-pty.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  rmSync(workspaces, { recursive: true, force: true });
  // A failed test must not leave the cluster behind; down on a stopped one does nothing.
  await driver.down(log);
});

describe("bare lite cluster", () => {
  it("answers on its own ports, apart from the practice cluster's", async () => {
    expect(state?.bare).toBe(true);
    expect((await bareKubectl(["get", "--raw", "/readyz"])).stdout.trim()).toBe("ok");
    const practice = readLiteState();
    expect(practice).toBeDefined();
    const practicePorts = new Set(Object.values(practice?.ports ?? {}));
    expect(Object.values(state?.ports ?? {}).filter((p) => practicePorts.has(p))).toEqual([]);
    expect(state?.dataDir).not.toBe(practice?.dataDir);
  });

  it("has no Istio: no Istio CRDs, no istio-system, no webhooks, no istiod (only the host that waits for one)", async () => {
    const crds = (await bareKubectl(["get", "crd", "-o", "name"])).stdout;
    expect(crds).not.toMatch(/\.istio\.io$/m);
    expect(crds).toContain("gateways.gateway.networking.k8s.io"); // Gateway API stays: not Istio's
    const ns = await bareKubectl(["get", "namespace", "istio-system"]);
    expect(ns.code).not.toBe(0);
    expect(ns.stderr).toContain("NotFound");
    const webhooks = await bareKubectl([
      "get",
      "mutatingwebhookconfigurations,validatingwebhookconfigurations",
      "-o",
      "name",
    ]);
    expect(webhooks.stdout.trim()).toBe("");
    expect(state?.processes.map((p) => p.name)).toContain("istiod-host");
    expect(readRunningIstiods(barePaths, binaryPath("pilot-discovery"))).toEqual([]);
  });

  it("runs the sample apps", async () => {
    const list = JSON.parse((await bareKubectl(["get", "deployments", "-n", "samples", "-o", "json"])).stdout) as {
      items: { metadata: { name: string }; status?: { availableReplicas?: number } }[];
    };
    const names = list.items.map((d) => d.metadata.name);
    expect(names).toEqual(expect.arrayContaining(["httpbin", "curl"]));
    for (const d of list.items) expect(d.status?.availableReplicas ?? 0).toBeGreaterThan(0);
  });

  it("leaves the practice cluster working: istiod still answers its webhooks", async () => {
    expect(await probeValidationWebhook(binaryPath("kubectl"), kubeconfigPath())).toBe(true);
  });

  it.runIf(process.platform === "linux")(
    "renders the istiod chart with helm from $ICA_ISTIO_CHARTS, and installs the base chart, in a learner's shell",
    async () => {
      // Arithmetic markers: the echoed command line never contains them.
      const output = await runInShell(
        'helm version --short; helm template istiod "$ICA_ISTIO_CHARTS/istiod" -n istio-system | grep -c "^kind: Deployment" | sed "s/^/deployments-/"; ' +
          'helm install istio-base "$ICA_ISTIO_CHARTS/base" -n istio-system --create-namespace >/dev/null && echo installed-$((40+2)); echo done-$((1+1))',
        "done-2",
      );
      expect(output).toContain("done-2");
      expect(output).toMatch(/v4\.\d+\.\d+/);
      expect(output).toContain("deployments-1");
      expect(output).toContain("installed-42");
      const crds = (await bareKubectl(["get", "crd", "-o", "name"])).stdout;
      expect(crds).toContain("virtualservices.networking.istio.io");
    },
  );

  it("istioctl install completes; the host starts istiod for its Deployment; injection answers", async () => {
    const started = Date.now();
    const install = await bareIstioctl(["install", "-y", "--set", "profile=default"]);
    expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
    console.log(`[measure] istioctl install on the bare cluster: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const istiod = await waitForIstiod("istio-system/istiod");
    expect(istiod.revision).toBe("default");
    const injected = await podOf("injected-default", { "istio-injection": "enabled" });
    expect(injected.spec.containers.map((c) => c.name)).toEqual(["injected-default", "istio-proxy"]);
    expect(injected.metadata.annotations?.["sidecar.istio.io/status"]).toContain('"revision":"default"');
    const rss = rssOfIstiods();
    console.log(`[measure] bare cluster, one revision: istiod RSS ${rss.istiods} MiB, whole cluster ${rss.total} MiB`);
  }, 240_000);

  it("a second revision's istiod starts, and a namespace labelled istio.io/rev=canary gets its proxies", async () => {
    const install = await bareIstioctl(["install", "-y", "--set", "revision=canary", "--set", "profile=minimal"]);
    expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
    const canary = await waitForIstiod("istio-system/istiod-canary");
    expect(canary.revision).toBe("canary");
    expect(canary.ports.https).not.toBe(readRunningIstiods(barePaths, binaryPath("pilot-discovery"))[0].ports.https);
    const pod = await podOf("injected-canary", { "istio.io/rev": "canary" });
    expect(pod.spec.containers.map((c) => c.name)).toContain("istio-proxy");
    expect(pod.metadata.annotations?.["sidecar.istio.io/status"]).toContain('"revision":"canary"');
    const rss = rssOfIstiods();
    console.log(`[measure] bare cluster, two revisions: istiod RSS ${rss.istiods} MiB, whole cluster ${rss.total} MiB`);
  }, 240_000);

  it("follows the Deployment's replicas: scaled to zero, istiod stops and injection fails; back to one, it answers", async () => {
    const scale = (n: number) =>
      bareKubectl(["scale", "deployment", "istiod-canary", "-n", "istio-system", `--replicas=${n}`]);
    expect((await scale(0)).code).toBe(0);
    await waitUntilTrue(
      () =>
        !readRunningIstiods(barePaths, binaryPath("pilot-discovery")).some(
          (i) => i.key === "istio-system/istiod-canary",
        ),
      "istiod-canary to stop",
    );
    const refused = await bareKubectl(["run", "no-istiod", "-n", "bare-canary", "--image=nginx", "--restart=Never"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("sidecar-injector.istio.io");
    // As on a real cluster: once the Deployment has rolled out, the first pod is injected (a call
    // that comes while the local istiod still starts waits for it instead of failing).
    expect((await scale(1)).code).toBe(0);
    const rollout = await bareKubectl(["rollout", "status", "deployment/istiod-canary", "-n", "istio-system"]);
    expect(rollout.code, rollout.stderr).toBe(0);
    const first = await bareKubectl([
      "run",
      "with-istiod",
      "-n",
      "bare-canary",
      "--image=nginx",
      "--restart=Never",
      "-o",
      "json",
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect((JSON.parse(first.stdout) as Pod).spec.containers.map((c) => c.name)).toContain("istio-proxy");
  }, 180_000);

  it("stops every process and frees every port on down", async () => {
    expect(state).toBeDefined();
    const recorded = state?.processes ?? [];
    const ports = Object.values(state?.ports ?? {});
    const started = Date.now();
    await driver.down(log);
    console.log(`[measure] bare lite cluster down: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(recorded.filter(isRecordedProcessRunning).map((p) => p.name)).toEqual([]);
    const open = [];
    for (const port of ports) if (await isPortOpen(port)) open.push(port);
    expect(open).toEqual([]);
    expect(readLiteState(litePaths(liteBareDir()))).toBeUndefined();
    // The practice cluster is untouched.
    expect(await probeValidationWebhook(binaryPath("kubectl"), kubeconfigPath())).toBe(true);
  });
});

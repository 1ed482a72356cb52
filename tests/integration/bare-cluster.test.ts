import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IPty } from "node-pty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binaryPath } from "../../lib/cluster/control-plane-binaries";
import { createLiteDriver } from "../../lib/cluster/drivers/lite";
import { probeValidationWebhook } from "../../lib/cluster/drivers/lite-istiod";
import { litePaths, readLiteState, type TLiteState } from "../../lib/cluster/drivers/lite-state";
import { isRecordedProcessRunning } from "../../lib/cluster/drivers/processes";
import { type CommandResult, runCommand } from "../../lib/cluster/drivers/run-command";
import { liteBareDir, toolsBinDir } from "../../lib/paths";
import { spawnShell } from "../../lib/terminal/spawn-shell";
import { kubeconfigPath } from "./lite";

// The bare lite cluster (Kubernetes and the sample apps, no Istio) for install tasks: started
// beside the practice cluster that global-setup.ts runs, on its own ports, and stopped cleanly.
// A bare cluster that was already running is reused and left running (as global-setup does);
// then the start measurements and the `down` test are skipped.

const driver = createLiteDriver({ bare: true });
const bareKubeconfig = litePaths(liteBareDir()).kubeconfig;
const log = (message: string) => console.log(`[lite-bare] ${message}`);
let isReused = false;
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

beforeAll(async () => {
  const started = Date.now();
  const result = await driver.up(log);
  isReused = result.reused;
  state = readLiteState(litePaths(liteBareDir()));
  if (!isReused && state) {
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
  if (!isReused) await driver.down(log);
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

  it("has no Istio: no Istio CRDs, no istio-system, no webhooks, no istiod", async () => {
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
    expect(state?.processes.map((p) => p.name)).not.toContain("istiod-host");
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

  it("stops every process and frees every port on down", async (ctx) => {
    if (isReused || !state) ctx.skip();
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

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubernetesVersion } from "../../lib/cluster/control-plane-binaries";
import { liteGraderKubeconfigPath } from "../../lib/paths";
import { istioctl, kubectl, kubectlOk } from "./lite";

// Proves the lite cluster is a real API server with Istio's schemas, a scheduler and
// fake kubelets, and that istioctl works against it.

const NS = `lite-it-${process.pid}`;

interface Pod {
  metadata: { name: string };
  spec: { containers: { name: string }[]; initContainers?: { name: string; restartPolicy?: string }[] };
  status: { phase?: string };
}

async function listPods(selector: string): Promise<Pod[]> {
  return (JSON.parse(await kubectlOk(["get", "pods", "-n", NS, "-l", selector, "-o", "json"])) as { items: Pod[] })
    .items;
}

/** Waits (bounded) until `count` pods match and all are Running. */
async function waitForRunningPods(selector: string, count: number): Promise<Pod[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pods = await listPods(selector);
    if (pods.length === count && pods.every((p) => p.status.phase === "Running")) return pods;
    if (Date.now() > deadline) {
      throw new Error(
        `pods ${selector}: ${pods.map((p) => `${p.metadata.name}=${p.status.phase}`).join(", ") || "none"}`,
      );
    }
    await sleep(500);
  }
}

const deployment = (name: string, replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: app
          image: docker.io/library/nginx:1.27
          ports: [{ containerPort: 80 }]
`;

beforeAll(async () => {
  await kubectlOk(["create", "namespace", NS]);
});

afterAll(async () => {
  await kubectl(["delete", "namespace", NS, "--wait=false"]);
});

describe("lite cluster", () => {
  it("serves the pinned Kubernetes version", async () => {
    const version = JSON.parse(await kubectlOk(["version", "-o", "json"])) as { serverVersion: { gitVersion: string } };
    expect(version.serverVersion.gitVersion).toBe(kubernetesVersion());
  });

  it("keeps the fake node's Lease renewed, so the node never flaps NotReady", async () => {
    const renewTime = async () =>
      (
        await kubectlOk(["get", "lease", "lite-node-0", "-n", "kube-node-lease", "-o", "jsonpath={.spec.renewTime}"])
      ).trim();
    const first = await renewTime();
    const deadline = Date.now() + 25_000;
    while ((await renewTime()) === first && Date.now() < deadline) await sleep(1_000);
    expect(await renewTime()).not.toBe(first);
    expect((await kubectlOk(["get", "node", "lite-node-0", "--no-headers"])).split(/\s+/)[1]).toBe("Ready");
  });

  it("runs the sample apps", async () => {
    const pods = JSON.parse(await kubectlOk(["get", "pods", "-n", "samples", "-o", "json"])) as { items: Pod[] };
    const running = pods.items.filter((p) => p.status.phase === "Running").map((p) => p.metadata.name);
    for (const app of ["helloworld-v1", "helloworld-v2", "httpbin", "curl"]) {
      expect(
        running.some((name) => name.startsWith(`${app}-`)),
        `${app} Running`,
      ).toBe(true);
    }
  });

  it("gives Check a credential that reads, writes nothing and cannot reach into a pod", async () => {
    const grader = ["--kubeconfig", liteGraderKubeconfigPath()];
    const list = await kubectl([...grader, "get", "virtualservices,destinationrules,pods", "-A"]);
    expect(list.code, list.stderr).toBe(0);
    const create = await kubectl([...grader, "create", "configmap", "grader-write", "-n", NS]);
    expect(create.code).not.toBe(0);
    expect(create.stderr).toContain("forbidden");
    const canDelete = await kubectl([...grader, "auth", "can-i", "delete", "virtualservices", "-A"]);
    expect(canDelete.stdout.trim()).toBe("no");
    // read-only means no way into a workload either: a WebSocket exec is authorized as `get`
    const can = async (...args: string[]) => (await kubectl([...grader, "auth", "can-i", ...args, "-A"])).stdout.trim();
    for (const sub of ["exec", "attach", "portforward", "proxy"]) {
      expect(await can("get", "pods", `--subresource=${sub}`), `pods/${sub}`).toBe("no");
    }
    expect(await can("get", "services", "--subresource=proxy")).toBe("no");
    expect(await can("get", "nodes", "--subresource=proxy")).toBe("no");
    expect(await can("get", "pods", "--subresource=log")).toBe("yes");
    expect(await can("list", "gateways.gateway.networking.k8s.io")).toBe("yes");
    expect(await can("list", "peerauthentications.security.istio.io")).toBe("yes");
  });

  it("rejects a VirtualService that breaks Istio's schema", async () => {
    const result = await kubectl(
      ["apply", "-n", NS, "-f", "-"],
      `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: broken
spec:
  hosts: helloworld
  http:
    - route:
        - destination: { host: helloworld }
`,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("spec.hosts");
    expect(result.stderr).toContain("must be of type array");
  });

  it("schedules a Deployment onto the fake node and reports Running pods", async () => {
    await kubectlOk(["apply", "-n", NS, "-f", "-"], deployment("web", 2));
    const pods = await waitForRunningPods("app=web", 2);
    expect(pods).toHaveLength(2);
  });

  it("istioctl analyze reports IST0101 for a route to helloworld.test", async () => {
    await kubectlOk(
      ["apply", "-n", NS, "-f", "-"],
      `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: short-host
spec:
  hosts: [helloworld]
  http:
    - route:
        - destination: { host: helloworld.test }
`,
    );
    const result = await istioctl(["analyze", "-n", NS]);
    const output = result.stdout + result.stderr;
    expect(output).toContain("IST0101");
    expect(output).toContain("helloworld.test");
  });

  describe("istioctl kube-inject with the rendered injector config", () => {
    let dir = "";
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "lite-inject-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("gives pods with an istio-proxy container", async () => {
      const configMap = async (name: string) =>
        (
          JSON.parse(await kubectlOk(["get", "configmap", name, "-n", "istio-system", "-o", "json"])) as {
            data: Record<string, string>;
          }
        ).data;
      const injector = await configMap("istio-sidecar-injector");
      const mesh = await configMap("istio");
      writeFileSync(join(dir, "inject.yaml"), injector.config);
      writeFileSync(join(dir, "values.json"), injector.values);
      writeFileSync(join(dir, "mesh.yaml"), mesh.mesh);
      writeFileSync(join(dir, "app.yaml"), deployment("injected", 1));

      const injected = await istioctl([
        "kube-inject",
        "-f",
        join(dir, "app.yaml"),
        "--injectConfigFile",
        join(dir, "inject.yaml"),
        "--valuesFile",
        join(dir, "values.json"),
        "--meshConfigFile",
        join(dir, "mesh.yaml"),
      ]);
      expect(injected.code, injected.stderr).toBe(0);
      await kubectlOk(["apply", "-n", NS, "-f", "-"], injected.stdout);

      const [pod] = await waitForRunningPods("app=injected", 1);
      const sidecars = [
        ...pod.spec.containers.map((c) => c.name),
        // Native sidecars (restartPolicy Always) sit in initContainers.
        ...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name),
      ];
      expect(sidecars).toContain("istio-proxy");
    });
  });
});

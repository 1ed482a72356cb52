import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binaryPath } from "../../lib/cluster/control-plane-binaries";
import { probeValidationWebhook, readIstiodPid } from "../../lib/cluster/drivers/lite-istiod";
import { litePaths } from "../../lib/cluster/drivers/lite-state";
import { istioctl, kubeconfigPath, kubectl, kubectlOk } from "./lite";

// istiod (pilot-discovery) as a local process on the lite cluster: kube-apiserver reaches its
// injection and validation webhooks, and the driver restarts it when it dies.

const NS = `istiod-it-${process.pid}`;

interface Container {
  name: string;
  restartPolicy?: string;
}
interface Pod {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { containers: Container[]; initContainers?: Container[] };
  status: { phase?: string };
}

const deployment = (name: string, podAnnotations: Record<string, string> = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
      annotations: ${JSON.stringify(podAnnotations)}
    spec:
      containers:
        - name: app
          image: docker.io/library/nginx:1.27
          ports: [{ containerPort: 80 }]
`;

async function waitForPod(app: string): Promise<Pod> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pods = (
      JSON.parse(await kubectlOk(["get", "pods", "-n", NS, "-l", `app=${app}`, "-o", "json"])) as { items: Pod[] }
    ).items;
    if (pods.length === 1 && pods[0].status.phase === "Running") return pods[0];
    if (Date.now() > deadline)
      throw new Error(`pod app=${app}: ${pods.map((p) => p.status.phase).join(", ") || "none"}`);
    await sleep(500);
  }
}

beforeAll(async () => {
  await kubectlOk(["create", "namespace", NS]);
  await kubectlOk(["label", "namespace", NS, "istio-injection=enabled"]);
});

afterAll(async () => {
  await kubectl(["delete", "namespace", NS, "--wait=false"]);
});

describe("istiod on the lite cluster", () => {
  it("injects istio-proxy into pods of a namespace labelled istio-injection=enabled, as 1.26 does", async () => {
    await kubectlOk(["apply", "-n", NS, "-f", "-"], deployment("injected"));
    const pod = await waitForPod("injected");
    expect(pod.spec.containers.map((c) => c.name)).toEqual(["app", "istio-proxy"]);
    expect((pod.spec.initContainers ?? []).map((c) => c.name)).toContain("istio-init");
    expect(pod.spec.initContainers?.some((c) => c.restartPolicy === "Always")).toBeFalsy(); // no native sidecar
    expect(pod.metadata.annotations?.["sidecar.istio.io/status"]).toContain("istio-proxy");
  });

  it('leaves out a pod template that says sidecar.istio.io/inject: "false"', async () => {
    await kubectlOk(["apply", "-n", NS, "-f", "-"], deployment("opted-out", { "sidecar.istio.io/inject": "false" }));
    const pod = await waitForPod("opted-out");
    expect(pod.spec.containers.map((c) => c.name)).toEqual(["app"]);
    expect(pod.metadata.annotations?.["sidecar.istio.io/status"]).toBeUndefined();
  });

  it("refuses an invalid VirtualService with Istio's own messages", async () => {
    const both = await kubectl(
      ["apply", "-n", NS, "-f", "-"],
      `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: route-and-delegate
spec:
  hosts: [helloworld]
  http:
    - route:
        - destination: { host: helloworld }
      delegate: { name: other }
`,
    );
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('admission webhook "validation.istio.io" denied the request');
    expect(both.stderr).toContain("must not specify route");

    const negative = await kubectl(
      ["apply", "-n", NS, "-f", "-"],
      `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: negative-weight
spec:
  hosts: [helloworld]
  http:
    - route:
        - destination: { host: helloworld, subset: v1 }
          weight: 110
        - destination: { host: helloworld, subset: v2 }
          weight: -10
`,
    );
    expect(negative.code).not.toBe(0);
    expect(negative.stderr).toContain('admission webhook "validation.istio.io" denied the request');
    expect(negative.stderr).toContain("weight");
  });

  it("istioctl kube-inject -f reaches istiod (through KWOK's port-forward) and injects", async () => {
    const dir = mkdtempSync(join(tmpdir(), "istiod-inject-"));
    try {
      writeFileSync(join(dir, "app.yaml"), deployment("kube-injected"));
      const injected = await istioctl(["kube-inject", "-f", join(dir, "app.yaml")]);
      expect(injected.code, injected.stderr).toBe(0);
      expect(injected.stderr).not.toContain("will fall back");
      expect(injected.stdout).toContain("name: istio-proxy");
      expect(injected.stdout).toContain("sidecar.istio.io/status");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("restarts istiod after it is killed, and the webhooks answer again", async () => {
    const binary = binaryPath("pilot-discovery");
    const before = readIstiodPid(litePaths(), binary);
    expect(before, "istiod pid").toBeDefined();
    process.kill(before as number, "SIGKILL");
    const deadline = Date.now() + 90_000;
    let answer: true | string = "not asked";
    for (;;) {
      const now = readIstiodPid(litePaths(), binary);
      if (now && now !== before) {
        answer = await probeValidationWebhook(binaryPath("kubectl"), kubeconfigPath());
        if (answer === true) break;
      }
      if (Date.now() > deadline) throw new Error(`istiod did not come back: pid ${now}, webhook: ${answer}`);
      await sleep(1_000);
    }
    expect(answer).toBe(true);
    // and injection works again
    await kubectlOk(["apply", "-n", NS, "-f", "-"], deployment("after-restart"));
    const pod = await waitForPod("after-restart");
    expect(pod.spec.containers.map((c) => c.name)).toContain("istio-proxy");
  }, 120_000);
});

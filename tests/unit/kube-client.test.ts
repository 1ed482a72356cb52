// The live Cluster against small local HTTP servers: paths, JSON bodies and the typed failures.

import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { K } from "../../lib/cluster/kinds";
import { createKubeCluster } from "../../lib/cluster/kube-client";
import type { Cluster } from "../../lib/cluster/types";

const dir = mkdtempSync(path.join(tmpdir(), "kc-"));

function kubeconfig(server: string, name = "test"): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: secret } }]
contexts: [{ name: ${name}, context: { cluster: c, user: u } }]
current-context: ${name}
`,
  );
  return file;
}

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
}

const seen: { url?: string; auth?: string }[] = [];
const status = (code: number, body: unknown) => (res: ServerResponse) => {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};
let busyAnswers = 0;
const routes: Record<string, (res: ServerResponse) => void> = {
  // storage of a just-created CRD still initializing: 429 twice, then the list
  "/apis/networking.istio.io/v1/workloadentries": (res) => {
    busyAnswers += 1;
    if (busyAnswers <= 2) {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ kind: "Status", message: "storage is (re)initializing" }));
    } else status(200, { items: [] })(res);
  },
  "/apis/telemetry.istio.io/v1/telemetries": status(429, { kind: "Status", message: "too many requests" }),
  "/apis/networking.istio.io/v1/virtualservices": status(200, {
    kind: "VirtualServiceList",
    items: [
      {
        metadata: { name: "a", namespace: "x", creationTimestamp: "2024-01-01T00:00:00Z" },
        spec: { hosts: ["a"], custom: 1 },
      },
    ],
  }),
  "/api/v1/namespaces/x/services": status(200, { items: [] }),
  "/api/v1/namespaces": status(200, { items: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } }] }),
  "/api/v1/namespaces/x/services/gone": status(404, { kind: "Status", message: 'services "gone" not found' }),
  "/apis/networking.istio.io/v1/gateways": status(404, {
    kind: "Status",
    message: "the server could not find the requested resource",
  }),
  "/apis/security.istio.io/v1/peerauthentications": status(403, { kind: "Status", message: "forbidden: cannot list" }),
  "/apis/security.istio.io/v1/authorizationpolicies": status(401, { kind: "Status", message: "Unauthorized" }),
  "/apis/networking.istio.io/v1/sidecars": status(422, { kind: "Status", message: "bad" }),
  "/apis/networking.istio.io/v1/serviceentries": status(500, "boom"),
  "/apis/networking.istio.io/v1/destinationrules": status(404, "<html>not here</html>"),
  "/api/v1/pods": status(200, "not json"),
};

let http: Server;
let silent: TcpServer;
let cluster: Cluster;
let silentPort: number;

beforeAll(async () => {
  http = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ url: req.url, auth: req.headers.authorization });
    (routes[req.url ?? ""] ?? status(404, { kind: "Status", message: "no route" }))(res);
  });
  const port = await listen(http);
  // accepts connections and never answers
  silent = createTcpServer(() => undefined);
  silentPort = await listen(silent);
  const made = createKubeCluster({ kubeconfigPath: kubeconfig(`http://127.0.0.1:${port}`), timeoutMs: 1000 });
  if (!made.ok) throw new Error(made.failure.message);
  cluster = made.value;
});

afterAll(() => {
  http.close();
  silent.close();
});

describe("live cluster", () => {
  it("lists a kind in all namespaces as plain JSON, restoring apiVersion and kind", async () => {
    const r = await cluster.list(K.virtualService);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value[0]).toMatchObject({
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      spec: { custom: 1 },
    });
    expect(r.value[0].metadata.creationTimestamp).toBe("2024-01-01T00:00:00Z");
    expect(seen.at(-1)?.auth).toBe("Bearer secret");
    expect(cluster.name).toBe("test");
  });
  it("builds core, namespaced and cluster-scoped paths", async () => {
    expect((await cluster.list(K.service, "x")).ok).toBe(true);
    expect((await cluster.list(K.namespace, "ignored")).ok).toBe(true);
    expect(seen.map((s) => s.url)).toEqual(
      expect.arrayContaining(["/api/v1/namespaces/x/services", "/api/v1/namespaces"]),
    );
  });
  it("maps HTTP failures to the typed union", async () => {
    const reason = async (p: Promise<{ ok: boolean; failure?: { reason: string } }>) => (await p).failure?.reason;
    expect(await reason(cluster.get(K.service, "gone", "x"))).toBe("not-found");
    expect(await reason(cluster.list(K.gateway))).toBe("not-found");
    expect(await reason(cluster.list(K.peerAuthentication))).toBe("forbidden");
    expect(await reason(cluster.list(K.authorizationPolicy))).toBe("forbidden");
    expect(await reason(cluster.list(K.sidecar))).toBe("invalid");
    expect(await reason(cluster.list(K.serviceEntry))).toBe("unreachable");
  });
  it("tries again when the API server answers 429, and gives up after a few tries", async () => {
    expect((await cluster.list(K.workloadEntry)).ok).toBe(true);
    expect(busyAnswers).toBe(3);
    const busy = await cluster.list(K.telemetry);
    expect(busy.ok).toBe(false);
    if (!busy.ok) expect(busy.failure.message).toContain("HTTP 429: too many requests");
  }, 15_000);
  it("does not read a 404 from a non-Kubernetes server as a missing CRD", async () => {
    const r = await cluster.list(K.destinationRule);
    expect(!r.ok && r.failure).toMatchObject({
      reason: "unreachable",
      message: expect.stringMatching(/does not answer like a Kubernetes API server/),
    });
  });
  it("reports a body that is not JSON", async () => {
    const r = await cluster.list(K.pod);
    expect(!r.ok && r.failure).toMatchObject({ reason: "unreachable", message: expect.stringMatching(/not JSON/) });
  });
  it("is unreachable, quickly, when the port is closed", async () => {
    const closed = createKubeCluster({ kubeconfigPath: kubeconfig("http://127.0.0.1:1", "closed") });
    if (!closed.ok) throw new Error(closed.failure.message);
    const started = Date.now();
    const r = await closed.value.list(K.virtualService);
    expect(!r.ok && r.failure).toMatchObject({
      reason: "unreachable",
      message: expect.stringMatching(/connection refused/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
  it("times out a server that never answers", async () => {
    const hung = createKubeCluster({
      kubeconfigPath: kubeconfig(`http://127.0.0.1:${silentPort}`, "hung"),
      timeoutMs: 300,
    });
    if (!hung.ok) throw new Error(hung.failure.message);
    const started = Date.now();
    const r = await hung.value.list(K.virtualService);
    expect(!r.ok && r.failure).toMatchObject({
      reason: "unreachable",
      message: expect.stringMatching(/did not answer within 0.3s/),
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });
  it("fails to build from a bad kubeconfig or an unknown context", () => {
    const missing = createKubeCluster({ kubeconfigPath: path.join(dir, "nope.yaml") });
    expect(!missing.ok && missing.failure.reason).toBe("invalid");
    const noContext = createKubeCluster({ kubeconfigPath: kubeconfig("http://127.0.0.1:1", "ctx"), context: "other" });
    expect(!noContext.ok && noContext.failure.message).toMatch(/no context "other" \(it has: ctx\)/);
  });
});

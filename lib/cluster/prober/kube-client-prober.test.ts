// The live client's prober against a small local HTTP server: attached only where the driver
// runs one, and access logs read as text with the grader's token.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeCluster } from "../kube-client";
import type { Capabilities, Cluster } from "../types";

const seen: { url?: string; auth?: string }[] = [];
const server = createServer((req, res) => {
  seen.push({ url: req.url, auth: req.headers.authorization });
  if (req.url === "/api/v1/namespaces/shop/pods") {
    res.writeHead(200, { "content-type": "application/json" });
    const pod = {
      metadata: { name: "httpbin-1", namespace: "shop", labels: { app: "httpbin" } },
      status: { phase: "Running" },
    };
    res.end(JSON.stringify({ items: [pod] }));
  } else if (req.url?.startsWith("/api/v1/namespaces/shop/pods/httpbin-1/log?")) {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end('[2026-12-04T05:22:01.100Z] "GET /status/500 HTTP/1.1" 500 - via_upstream\nsecond line\n');
  } else {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", message: "forbidden" }));
  }
});
let kubeconfig = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), "kc-prober-")), "config");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: grader-token } }]
contexts: [{ name: t, context: { cluster: c, user: u } }]
current-context: t
`,
  );
});
afterAll(() => server.close());

function cluster(capabilities: Capabilities): Cluster {
  const made = createKubeCluster({ kubeconfigPath: kubeconfig, capabilities });
  if (!made.ok) throw new Error(made.failure.message);
  return made.value;
}

describe("the live client's prober", () => {
  it("is there only with a data plane and the driver's prober", () => {
    expect(cluster({ dataPlane: false }).prober).toBeUndefined();
    expect(cluster({ dataPlane: true }).prober).toBeUndefined();
    expect(cluster({ dataPlane: true, prober: true }).prober).toBeDefined();
  });

  it("reads the istio-proxy log as text with the grader's token, and a refusal as forbidden", async () => {
    const prober = cluster({ dataPlane: true, prober: true }).prober;
    const log = await prober?.accessLog({ namespace: "shop", labels: { app: "httpbin" }, sinceSeconds: 5 });
    expect(log).toEqual({
      ok: true,
      value: ['[2026-12-04T05:22:01.100Z] "GET /status/500 HTTP/1.1" 500 - via_upstream', "second line"],
    });
    expect(seen.at(-1)).toEqual({
      url: "/api/v1/namespaces/shop/pods/httpbin-1/log?container=istio-proxy&sinceSeconds=5",
      auth: "Bearer grader-token",
    });
    const refused = await prober?.accessLog({ namespace: "other", labels: {}, sinceSeconds: 5 });
    expect(refused?.ok === false && refused.failure.reason).toBe("forbidden");
  });
});

import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../types";
import { createKubeProber } from "./kube-prober";

const pod = (namespace: string, name: string, labels: Record<string, string>, phase = "Running"): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels },
  status: { phase },
});

const PODS = [
  pod("shop", "helloworld-v2-abc", { app: "helloworld", version: "v2" }),
  pod("shop", "helloworld-v2-old", { app: "helloworld", version: "v2" }, "Succeeded"),
  pod("shop", "helloworld-v1-def", { app: "helloworld", version: "v1" }),
];

function proberOver(pods: KubeObject[], logs: Record<string, string> = {}) {
  const paths: string[] = [];
  const cluster = {
    list: async (_k: unknown, ns?: string) => ({
      ok: true as const,
      value: pods.filter((p) => p.metadata.namespace === ns),
    }),
  };
  const prober = createKubeProber(new KubeConfig(), cluster, async (path) => {
    paths.push(path);
    return { ok: true, value: logs[path] ?? "" };
  });
  return { prober, paths };
}

describe("createKubeProber", () => {
  it("reads the istio-proxy log of the running pods the labels select, since the time asked", async () => {
    const { prober, paths } = proberOver(PODS, {
      "/api/v1/namespaces/shop/pods/helloworld-v2-abc/log?container=istio-proxy&sinceSeconds=8": "line 1\n\nline 2\n",
    });
    const r = await prober.accessLog({
      namespace: "shop",
      labels: { app: "helloworld", version: "v2" },
      sinceSeconds: 7.2,
    });
    expect(r).toEqual({ ok: true, value: ["line 1", "line 2"] });
    expect(paths).toHaveLength(1);
  });

  it("says how to get the prober back when its pod is not running, without exec", async () => {
    const { prober } = proberOver([pod("ica-prober", "ica-prober-1", { app: "ica-prober" }, "Pending")]);
    const r = await prober.send({ url: "http://x", count: 1, userAgent: "ua" });
    expect(r).toEqual({
      ok: false,
      failure: {
        reason: "not-found",
        message:
          "no running prober pod (app=ica-prober) in namespace ica-prober: bring the cluster up again (npm run cluster -- up) to deploy it",
      },
    });
    const plain = await prober.send({ url: "http://x", count: 1, userAgent: "ua", isPlainText: true });
    expect(!plain.ok && plain.failure.message).toMatch(/app=ica-prober-plain/);
  });
});

import { describe, expect, it } from "vitest";
import { expectLive, grade } from "../test-harness";
import { helloworld, withStatus } from "../test-objects";

describe("deployment.ready", () => {
  it("reads status on a live cluster", async () => {
    const world =
      withStatus("Deployment", "istiod", "{ availableReplicas: 2 }") +
      withStatus("Deployment", "half", "{ availableReplicas: 1 }");
    const use = "deployment.ready";
    await expectLive(use, { namespace: "istio-system", name: "istiod" }, world, "pass", /2 available replicas/);
    await expectLive(
      use,
      { namespace: "istio-system", name: "half" },
      world,
      "fail",
      /1 available replicas, expected at least 2/,
    );
    await expectLive(use, { namespace: "istio-system", name: "half", minAvailable: 1 }, world, "pass", /1 available/);
    await expectLive(use, { namespace: "istio-system", name: "gone" }, world, "fail", /not found/);
  });
  it("deployment.ready needs a live cluster", async () => {
    const r = await grade("deployment.ready", { namespace: "shop", name: "helloworld-v1" }, helloworld());
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(/manifests read from files carry no status/);
  });
});

describe("deployment.ready by selector", () => {
  const gateway = (name: string, labels: string, available: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: istio-system, labels: ${labels} }
spec: { replicas: 1 }
status: { availableReplicas: ${available} }
---
`;
  it("takes any Deployment with the labels, whatever its name", async () => {
    const world = gateway("my-egress", "{ istio: egressgateway }", 1);
    await expectLive(
      "deployment.ready",
      { namespace: "istio-system", selector: { istio: "egressgateway" } },
      world,
      "pass",
      /my-egress has 1 available/,
    );
  });
  it("says which labels found nothing, or which Deployment is not available", async () => {
    const world = gateway("istio-egressgateway", "{ istio: egressgateway }", 0);
    await expectLive(
      "deployment.ready",
      { namespace: "istio-system", selector: { istio: "ingressgateway" } },
      world,
      "fail",
      /no Deployment in istio-system labelled/,
    );
    await expectLive(
      "deployment.ready",
      { namespace: "istio-system", selector: { istio: "egressgateway" } },
      world,
      "fail",
      /istio-egressgateway has 0 available replicas, expected at least 1/,
    );
  });
});

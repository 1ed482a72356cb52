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

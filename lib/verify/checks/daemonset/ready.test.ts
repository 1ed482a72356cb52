import { describe, it } from "vitest";
import { expectLive } from "../test-harness";
import { withStatus } from "../test-objects";

describe("daemonset.ready", () => {
  it("reads status on a live cluster", async () => {
    const world =
      withStatus("DaemonSet", "ztunnel", "{ desiredNumberScheduled: 3, numberReady: 3 }") +
      withStatus("DaemonSet", "cni", "{ desiredNumberScheduled: 3, numberReady: 1 }");
    await expectLive(
      "daemonset.ready",
      { namespace: "istio-system", name: "ztunnel" },
      world,
      "pass",
      /all 3 pods ready/,
    );
    await expectLive("daemonset.ready", { namespace: "istio-system", name: "cni" }, world, "fail", /1 of 3 pods ready/);
  });
});

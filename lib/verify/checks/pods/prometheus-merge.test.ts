import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { webPod } from "../test-objects";

describe("pods.prometheus-merge", () => {
  it("pods.prometheus-merge", async () => {
    const merged = webPod(
      "a",
      "[{ name: istio-proxy }]",
      '{ prometheus.io/port: "15020", prometheus.io/path: /stats/prometheus }',
    );
    const own = webPod("b", "[{ name: istio-proxy }]", '{ prometheus.io/port: "8080" }');
    await expectPass("pods.prometheus-merge", { namespace: "app", merged: true }, merged);
    await expectPass("pods.prometheus-merge", { namespace: "app", merged: false }, own);
    await expectFail(
      "pods.prometheus-merge",
      { namespace: "app", merged: false },
      merged,
      /prometheus\.io\/port=15020/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { appDeployment, appNamespace } from "../test-objects";

describe("deployment.injection", () => {
  it("deployment.injection: opt-out by template label", async () => {
    const world =
      appNamespace("{ istio-injection: enabled }") +
      appDeployment("legacy", '{ app: legacy, sidecar.istio.io/inject: "false" }') +
      appDeployment("web", "{ app: web }");
    await expectPass("deployment.injection", { namespace: "app", name: "legacy", injected: false }, world);
    await expectPass("deployment.injection", { namespace: "app", name: "web", injected: true }, world);
    await expectFail(
      "deployment.injection",
      { namespace: "app", name: "web", injected: false },
      world,
      /get the sidecar: namespace label istio-injection=enabled/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { appDeployment, appNamespace, webPod } from "../test-objects";

describe("pods.injected", () => {
  it("pods.injected reads pods when there are some", async () => {
    await expectPass(
      "pods.injected",
      { namespace: "app", selector: { app: "web" } },
      webPod("a", "[{ name: app }, { name: istio-proxy }]"),
    );
    await expectFail(
      "pods.injected",
      { namespace: "app" },
      webPod("a", "[{ name: app }, { name: istio-proxy }]") + webPod("b", "[{ name: app }]"),
      /1 of 2 pods lack the istio-proxy sidecar: Pod app\/b .*rollout restart/,
    );
    await expectPass("pods.injected", { namespace: "app", injected: false }, webPod("b", "[{ name: app }]"));
  });
  it("pods.injected predicts from templates when there are no pods", async () => {
    await expectPass(
      "pods.injected",
      { namespace: "app" },
      appNamespace("{ istio-injection: enabled }") + appDeployment("web", "{ app: web }"),
    );
    await expectFail(
      "pods.injected",
      { namespace: "app" },
      appNamespace("{}") + appDeployment("web", "{ app: web }"),
      /would not get the sidecar \(namespace has neither/,
    );
    await expectFail(
      "pods.injected",
      { namespace: "app", selector: { app: "none" } },
      appNamespace("{}"),
      /no pods or Deployments labelled app=none/,
    );
  });
});

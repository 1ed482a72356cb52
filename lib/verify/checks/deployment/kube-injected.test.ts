import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { appDeployment } from "../test-objects";

describe("deployment.kube-injected", () => {
  it("deployment.kube-injected", async () => {
    await expectPass(
      "deployment.kube-injected",
      { namespace: "app", name: "web" },
      appDeployment(
        "web",
        "{ app: web }",
        "[{ name: app }, { name: istio-proxy }]",
        '{ sidecar.istio.io/status: "{}" }',
      ),
    );
    await expectFail(
      "deployment.kube-injected",
      { namespace: "app", name: "web" },
      appDeployment("web", "{ app: web }"),
      /istioctl kube-inject/,
    );
  });
});

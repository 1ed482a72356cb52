import { describe, it } from "vitest";
import { namespace, podOf, revision, revisionTag } from "../install/test-world";
import { expectFail, expectLive, expectPass } from "../test-harness";
import { appDeployment } from "../test-objects";

const use = "pods.revision";

describe("pods.revision", () => {
  it("reads the revision that injected each pod from sidecar.istio.io/status", async () => {
    await expectPass(
      use,
      { namespace: "app", selector: { app: "web" }, revision: "canary" },
      podOf("a", "canary") + podOf("b", "canary"),
    );
    await expectFail(
      use,
      { namespace: "app", revision: "canary" },
      podOf("a", "canary") + podOf("b", "default"),
      /1 of 2 pods in namespace app do not carry the proxy of revision canary: Pod app\/b has the proxy of revision default .*rollout restart/,
    );
    await expectFail(
      use,
      { namespace: "app", revision: "canary" },
      podOf("a"),
      /Pod app\/a has no istio-proxy container/,
    );
  });
  it("falls back on the pod's istio.io/rev label", async () => {
    const labelled = podOf("a", "canary")
      .replace(/ {2}annotations:.*\n/, "")
      .replace("{ app: web }", "{ app: web, istio.io/rev: canary }");
    await expectPass(use, { namespace: "app", revision: "canary" }, labelled);
  });
  it("predicts from the Deployments' templates when no pod runs", async () => {
    const world = namespace("app", "{ istio.io/rev: prod-stable }") + appDeployment("web", "{ app: web }");
    await expectLive(
      use,
      { namespace: "app", revision: "canary" },
      revision("default") + revision("canary") + revisionTag("prod-stable", "canary") + world,
      "pass",
      /would get the proxy of revision canary/,
    );
    await expectLive(
      use,
      { namespace: "app", revision: "canary" },
      revision("default") + world,
      "fail",
      /would get no proxy/,
    );
    await expectFail(
      use,
      { namespace: "app", selector: { app: "none" }, revision: "canary" },
      "",
      /no pods or Deployments labelled app=none/,
    );
  });
});

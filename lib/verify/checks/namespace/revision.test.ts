import { describe, it } from "vitest";
import { namespace, revision, revisionTag } from "../install/test-world";
import { expectFail, expectLive, expectPass } from "../test-harness";

const two = revision("default") + revision("canary");
const use = "namespace.revision";

describe("namespace.revision", () => {
  it("resolves the revision through the cluster's injector webhooks", async () => {
    await expectLive(
      use,
      { namespace: "app", revision: "canary" },
      two + namespace("app", "{ istio.io/rev: canary }"),
      "pass",
      /revision canary: the namespace labels istio.io\/rev=canary match MutatingWebhookConfiguration istio-sidecar-injector-canary/,
    );
    await expectLive(
      use,
      { namespace: "app", revision: "default" },
      two + namespace("app", "{ istio-injection: enabled }"),
      "pass",
      /istio-revision-tag-default \(revision tag default\)/,
    );
    await expectLive(
      use,
      { namespace: "app", revision: "default" },
      two + namespace("app", "{ istio.io/rev: default }"),
      "pass",
      /revision default/,
    );
  });
  it("follows a revision tag to the revision it points at", async () => {
    const world = two + revisionTag("prod-stable", "canary") + namespace("app", "{ istio.io/rev: prod-stable }");
    await expectLive(
      use,
      { namespace: "app", revision: "canary" },
      world,
      "pass",
      /revision tag prod-stable.*istiod-canary/,
    );
    const wrong = two + revisionTag("prod-stable", "default") + namespace("app", "{ istio.io/rev: prod-stable }");
    await expectLive(
      use,
      { namespace: "app", revision: "canary" },
      wrong,
      "fail",
      /get the proxy of revision default, expected canary: .*istio-revision-tag-prod-stable/,
    );
  });
  it("lets istio-injection win over istio.io/rev, as the webhooks do", async () => {
    await expectLive(
      use,
      { namespace: "app", revision: "canary" },
      two + namespace("app", "{ istio-injection: enabled, istio.io/rev: canary }"),
      "fail",
      /revision default, expected canary: the namespace labels istio-injection=enabled,istio.io\/rev=canary match .*namespace.sidecar-injector.istio.io/,
    );
  });
  it("fails a label that names no installed revision or tag: nothing injects", async () => {
    await expectLive(
      use,
      { namespace: "app", revision: "canary" },
      revision("default") + namespace("app", "{ istio.io/rev: canary }"),
      "fail",
      /get no proxy: no sidecar-injector webhook matches .*istio.io\/rev=canary names no installed revision or revision tag/,
    );
    await expectLive(
      use,
      { namespace: "app", revision: "default" },
      namespace("app", "{ istio-injection: enabled }"),
      "fail",
      /no Istio control plane is installed/,
    );
  });
  it("sees the default tag moved to another revision", async () => {
    const moved =
      revision("default").replace(revisionTag("default", "default"), "") +
      revision("canary") +
      revisionTag("default", "canary");
    await expectLive(
      use,
      { namespace: "app", revision: "default" },
      moved + namespace("app", "{ istio-injection: enabled }"),
      "fail",
      /revision canary, expected default/,
    );
  });
  it("reads the labels from files, where no installation is read", async () => {
    await expectPass(use, { namespace: "app", revision: "canary" }, namespace("app", "{ istio.io/rev: canary }"));
    await expectFail(
      use,
      { namespace: "app", revision: "canary" },
      namespace("app", "{ istio-injection: enabled, istio.io/rev: canary }"),
      /revision default, expected canary/,
    );
    await expectFail(use, { namespace: "missing", revision: "canary" }, "", /Namespace missing not found/);
  });
});

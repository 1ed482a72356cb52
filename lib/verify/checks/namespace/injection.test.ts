import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { appNamespace } from "../test-objects";

describe("namespace.injection", () => {
  it("namespace.injection", async () => {
    await expectPass("namespace.injection", { namespace: "app" }, appNamespace("{ istio-injection: enabled }"));
    await expectPass("namespace.injection", { namespace: "app" }, appNamespace("{ istio.io/rev: canary }"));
    await expectPass(
      "namespace.injection",
      { namespace: "app", revision: "canary" },
      appNamespace("{ istio.io/rev: canary }"),
    );
    await expectPass(
      "namespace.injection",
      { namespace: "app", enabled: false },
      appNamespace("{ istio-injection: disabled, istio.io/rev: canary }"),
    );
    await expectFail(
      "namespace.injection",
      { namespace: "app" },
      appNamespace("{ istio-injection: enabled, istio.io/rev: canary }"),
      /IST0123/,
    );
    await expectFail(
      "namespace.injection",
      { namespace: "app" },
      appNamespace("{ istio-injection: 'true' }"),
      /only "enabled" injects/,
    );
    await expectFail(
      "namespace.injection",
      { namespace: "app", revision: "canary" },
      appNamespace("{ istio-injection: enabled }"),
      /expected istio\.io\/rev=canary/,
    );
    await expectFail("namespace.injection", { namespace: "missing" }, "", /Namespace missing not found/);
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { appNamespace } from "../test-objects";

describe("namespace.labels", () => {
  it("namespace.labels", async () => {
    await expectPass(
      "namespace.labels",
      { namespace: "app", labels: { "istio.io/dataplane-mode": "ambient", "istio-injection": null } },
      appNamespace("{ istio.io/dataplane-mode: ambient }"),
    );
    await expectFail(
      "namespace.labels",
      { namespace: "app", labels: { "istio-injection": null } },
      appNamespace("{ istio-injection: enabled }"),
      /istio-injection must be absent/,
    );
  });
});

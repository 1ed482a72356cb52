import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { istioIngressClass } from "../test-objects";

describe("ingressclass.istio", () => {
  it("ingressclass.istio", async () => {
    await expectPass("ingressclass.istio", {}, istioIngressClass);
    await expectFail(
      "ingressclass.istio",
      {},
      istioIngressClass.replace("istio.io/ingress-controller", "k8s.io/ingress-nginx"),
      /expected istio\.io\/ingress-controller/,
    );
  });
});

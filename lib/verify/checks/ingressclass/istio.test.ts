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
  it("ingressclass.istio does not grade an IngressClass at an API version Kubernetes no longer serves", async () => {
    await expectFail(
      "ingressclass.istio",
      { name: "istio" },
      istioIngressClass.replace("networking.k8s.io/v1", "networking.k8s.io/v1beta1"),
      /IngressClass istio is not graded: apiVersion networking\.k8s\.io\/v1beta1 is no longer served/,
    );
  });
});

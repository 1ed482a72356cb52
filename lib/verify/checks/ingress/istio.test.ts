import { describe, it } from "vitest";
import { meshConfigMap } from "../../../../tests/unit/yaml-objects";
import { expectFail, expectPass } from "../test-harness";
import { istioIngressClass } from "../test-objects";

const webIngress = (extra: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
${extra}
  rules:
  - host: web.example.com
    http:
      paths: [{ path: /status, pathType: Prefix, backend: { service: { name: web, port: { number: 8000 } } } }]
---
`;

describe("ingress.istio", () => {
  it("ingress.istio", async () => {
    const p = {
      namespace: "shop",
      host: "web.example.com",
      path: "/status/200",
      backend: { service: "web", port: 8000 },
    };
    await expectPass("ingress.istio", p, istioIngressClass + webIngress("  ingressClassName: istio"));
    await expectFail(
      "ingress.istio",
      p,
      webIngress("  ingressClassName: istio"),
      /not served by Istio: ingressClassName istio names no IngressClass .* STRICT/,
    );
    await expectPass(
      "ingress.istio",
      p,
      meshConfigMap("ingressControllerMode: DEFAULT") + webIngress("  ingressClassName: istio"),
    );
    await expectFail(
      "ingress.istio",
      { ...p, backend: { service: "other" } },
      istioIngressClass + webIngress("  ingressClassName: istio"),
      /has no rule for host web\.example\.com, path \/status\/200 and backend other/,
    );
  });
  it("ingress.istio reads ImplementationSpecific paths as Istio does: x/* and x.* are prefixes, others exact", async () => {
    const p = { namespace: "shop", host: "web.example.com", path: "/status/200", backend: { service: "web" } };
    const impl = (path: string) =>
      istioIngressClass +
      webIngress("  ingressClassName: istio").replace(
        "path: /status, pathType: Prefix",
        `path: "${path}", pathType: ImplementationSpecific`,
      );
    await expectPass("ingress.istio", p, impl("/status/*"));
    await expectPass("ingress.istio", p, impl("/status.*"));
    await expectPass("ingress.istio", p, impl("/*"));
    await expectPass("ingress.istio", { ...p, path: "/status" }, impl("/status"));
    await expectFail("ingress.istio", p, impl("/status"), /has no rule for host web\.example\.com, path \/status\/200/);
  });
});

import { describe, it } from "vitest";
import { meshConfigMap } from "../../../../tests/unit/yaml-objects";
import { expectFail, expectPass } from "../test-harness";

const sidecar = (egress: string, name = "default", selector = "") => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name} }
spec:
${selector}  egress: [{ hosts: ${egress} }]
  outboundTrafficPolicy: { mode: REGISTRY_ONLY }
---
`;

describe("sidecar.egress", () => {
  it("sidecar", async () => {
    await expectPass(
      "sidecar.egress",
      { namespace: "shop", hosts: ["./*", "istio-system/*"], outboundTrafficPolicy: "REGISTRY_ONLY" },
      sidecar('["shop/*", "istio-system/*"]'),
    );
    await expectPass(
      "sidecar.egress",
      { namespace: "shop", hosts: ["./httpbin.shop.svc.cluster.local"] },
      sidecar('["./*"]') + sidecar('["*/*"]', "other", "  workloadSelector: { labels: { app: x } }\n"),
    );
    await expectFail(
      "sidecar.egress",
      { namespace: "shop", hosts: ["istio-system/*"] },
      sidecar('["./*"]'),
      /lack istio-system\/\*/,
    );
    await expectFail(
      "sidecar.egress",
      { namespace: "shop", hosts: ["./*"], onlyThese: true },
      sidecar('["./*", "*/*"]'),
      /also allows \*\/\*/,
    );
    await expectFail(
      "sidecar.egress",
      { namespace: "shop" },
      sidecar('["./*"]', "a") + sidecar('["./*"]', "b"),
      /IST0111/,
    );
    await expectFail("sidecar.egress", { namespace: "shop" }, "", /no Sidecar without workloadSelector/);
  });
  it("sidecar: an unset outboundTrafficPolicy takes the mesh's mode (default ALLOW_ANY)", async () => {
    const plain = sidecar('["./*"]').replace("  outboundTrafficPolicy: { mode: REGISTRY_ONLY }\n", "");
    await expectPass("sidecar.egress", { namespace: "shop", outboundTrafficPolicy: "ALLOW_ANY" }, plain);
    await expectPass(
      "sidecar.egress",
      { namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" },
      plain + meshConfigMap("outboundTrafficPolicy: { mode: REGISTRY_ONLY }"),
    );
    await expectFail(
      "sidecar.egress",
      { namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" },
      plain,
      /outboundTrafficPolicy\.mode is unset \(the mesh's ALLOW_ANY applies\), expected REGISTRY_ONLY/,
    );
  });
});

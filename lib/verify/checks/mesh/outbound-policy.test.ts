import { describe, it } from "vitest";
import { meshConfigMap } from "../../../../tests/unit/yaml-objects";
import { expectFail, expectPass } from "../test-harness";

const sidecar = (name: string, namespace: string, spec: string) =>
  `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec:\n${spec}\n---\n`;
const pod = (namespace: string, app: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${app}, namespace: ${namespace}, labels: { app: ${app} } }\nspec: { containers: [{ name: ${app} }] }\n---\n`;
const registryOnly = "  outboundTrafficPolicy: { mode: REGISTRY_ONLY }";

describe("mesh.outbound-policy", () => {
  it("reads the mesh config, its default when absent", async () => {
    await expectPass(
      "mesh.outbound-policy",
      { namespace: "shop", mode: "REGISTRY_ONLY" },
      meshConfigMap("outboundTrafficPolicy:\n  mode: REGISTRY_ONLY"),
    );
    await expectFail(
      "mesh.outbound-policy",
      { namespace: "shop", mode: "REGISTRY_ONLY" },
      meshConfigMap("accessLogFile: /dev/stdout"),
      /no Sidecar applies, so the mesh config's applies: ConfigMap istio-system\/istio data\.mesh outboundTrafficPolicy\.mode \(absent: Istio's default\) is ALLOW_ANY, expected REGISTRY_ONLY/,
    );
    await expectFail("mesh.outbound-policy", { namespace: "shop", mode: "REGISTRY_ONLY" }, "", /is ALLOW_ANY/);
  });
  it("fails when a wrong-case mode makes istiod reject the mesh config", async () => {
    await expectFail(
      "mesh.outbound-policy",
      { namespace: "shop", mode: "REGISTRY_ONLY" },
      meshConfigMap("outboundTrafficPolicy:\n  mode: registry_only"),
      /outboundTrafficPolicy\.mode is "registry_only", which Istio cannot parse .*keeps the one it had/,
    );
  });
  it("takes the Sidecar that applies: the namespace's, else the root namespace's", async () => {
    await expectPass(
      "mesh.outbound-policy",
      { namespace: "shop", mode: "REGISTRY_ONLY" },
      sidecar("default", "istio-system", registryOnly),
    );
    await expectFail(
      "mesh.outbound-policy",
      { namespace: "other", mode: "REGISTRY_ONLY" },
      sidecar("default", "shop", registryOnly),
      /is ALLOW_ANY, expected REGISTRY_ONLY/,
    );
    // the namespace's own Sidecar shadows the root one; unset, the mesh config's mode applies
    await expectFail(
      "mesh.outbound-policy",
      { namespace: "shop", mode: "REGISTRY_ONLY" },
      sidecar("default", "istio-system", registryOnly) + sidecar("scope", "shop", "  egress: [{ hosts: ['./*'] }]"),
      /Sidecar shop\/scope \(the Sidecar of namespace shop\) spec\.outboundTrafficPolicy\.mode is unset, so the mesh config's applies/,
    );
    await expectPass(
      "mesh.outbound-policy",
      { namespace: "shop", mode: "REGISTRY_ONLY" },
      meshConfigMap("outboundTrafficPolicy:\n  mode: REGISTRY_ONLY") +
        sidecar("scope", "shop", "  egress: [{ hosts: ['./*'] }]"),
    );
  });
  it("grades every workload of the namespace: a workload Sidecar can set its own mode", async () => {
    const yaml =
      pod("shop", "a") +
      pod("shop", "b") +
      sidecar("default", "istio-system", registryOnly) +
      sidecar(
        "b-open",
        "shop",
        "  workloadSelector: { labels: { app: b } }\n  outboundTrafficPolicy: { mode: ALLOW_ANY }",
      );
    await expectFail(
      "mesh.outbound-policy",
      { namespace: "shop", mode: "REGISTRY_ONLY" },
      yaml,
      /Sidecar shop\/b-open \(selects app=b\) spec\.outboundTrafficPolicy\.mode is ALLOW_ANY, expected REGISTRY_ONLY/,
    );
    await expectPass(
      "mesh.outbound-policy",
      { namespace: "shop", workload: { app: "a" }, mode: "REGISTRY_ONLY" },
      yaml,
    );
  });
  it("refuses a mode Istio's validation refuses", async () => {
    await expectFail(
      "mesh.outbound-policy",
      { namespace: "shop", mode: "REGISTRY_ONLY" },
      sidecar("default", "shop", "  outboundTrafficPolicy: { mode: registry_only }"),
      /spec\.outboundTrafficPolicy\.mode is "registry_only", which Istio's validation refuses/,
    );
  });
});

import { describe, expect, it } from "vitest";
import { objects } from "../../tests/unit/yaml-objects";
import { effectiveMtls, explainMtls } from "./mtls";

const pa = (
  name: string,
  ns: string,
  spec: string,
  created = "2024-01-01T00:00:00Z",
) => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: ${ns}, creationTimestamp: "${created}" }
spec: ${spec}
---
`;
const root = "istio-system";

describe("effectiveMtls (istiod's ComposePeerAuthentication)", () => {
  it("defaults to PERMISSIVE with no policy, or with every level UNSET", () => {
    expect(effectiveMtls([], { namespace: "shop" }, root).mode).toBe("PERMISSIVE");
    const unset = objects(pa("m", root, "{ mtls: { mode: UNSET } }") + pa("n", "shop", "{}"));
    const e = effectiveMtls(unset, { namespace: "shop" }, root);
    expect(e.mode).toBe("PERMISSIVE");
    expect(e.decidedBy).toBeUndefined();
    expect(explainMtls(e)).toMatch(/^every level is unset, so the default PERMISSIVE holds/);
  });
  it("mesh, then namespace, then workload, then port, each overriding", () => {
    const list = objects(
      pa("m", root, "{ mtls: { mode: STRICT } }") +
        pa("n", "shop", "{ mtls: { mode: PERMISSIVE } }") +
        pa(
          "w",
          "shop",
          "{ selector: { matchLabels: { app: a } }, mtls: { mode: STRICT }, portLevelMtls: { 9000: { mode: DISABLE } } }",
        ),
    );
    expect(effectiveMtls(list, { namespace: "other" }, root).mode).toBe("STRICT");
    expect(effectiveMtls(list, { namespace: "shop" }, root).mode).toBe("PERMISSIVE");
    expect(effectiveMtls(list, { namespace: "shop", labels: { app: "b" } }, root).mode).toBe("PERMISSIVE");
    expect(effectiveMtls(list, { namespace: "shop", labels: { app: "a" } }, root).mode).toBe("STRICT");
    const port = effectiveMtls(list, { namespace: "shop", labels: { app: "a" }, port: 9000 }, root);
    expect(port.mode).toBe("DISABLE");
    expect(port.decidedBy?.field).toBe("spec.portLevelMtls[9000].mode");
  });
  it("in the root namespace, the mesh policy is the namespace's and selector policies apply to nothing", () => {
    const list = objects(
      pa("m", root, "{ mtls: { mode: STRICT } }") +
        pa("gw", root, "{ selector: { matchLabels: { istio: ingressgateway } }, mtls: { mode: DISABLE } }"),
    );
    expect(effectiveMtls(list, { namespace: root, labels: { istio: "ingressgateway" } }, root).mode).toBe("STRICT");
    expect(effectiveMtls(list, { namespace: "shop", labels: { istio: "ingressgateway" } }, root).mode).toBe("STRICT");
  });
  it("an empty matchLabels is namespace-wide; the oldest of a level wins", () => {
    const list = objects(
      pa("new", "shop", "{ mtls: { mode: DISABLE } }", "2024-03-01T00:00:00Z") +
        pa("old", "shop", "{ selector: { matchLabels: {} }, mtls: { mode: STRICT } }", "2024-02-01T00:00:00Z"),
    );
    const e = effectiveMtls(list, { namespace: "shop", labels: { app: "x" } }, root);
    expect(e.mode).toBe("STRICT");
    expect(explainMtls(e)).toContain("newer PeerAuthentication shop/new ignored");
  });
});

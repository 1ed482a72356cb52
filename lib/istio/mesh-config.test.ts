import { describe, expect, it } from "vitest";
import { meshConfigMap, objects } from "../../tests/unit/yaml-objects";
import { readMeshConfig } from "./mesh-config";

describe("mesh config", () => {
  it("applies Istio's defaults to absent keys (absent is never false)", () => {
    const m = readMeshConfig(
      objects(meshConfigMap("defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012")),
    );
    expect(m.problem).toBeUndefined();
    expect(m.config.enableAutoMtls).toBe(true);
    expect(m.config.enablePrometheusMerge).toBe(true);
    expect(m.config.accessLogFile).toBe("");
    expect(m.config.accessLogEncoding).toBe("TEXT");
    expect(m.config.enableEnvoyAccessLogService).toBe(false);
    expect(m.config.ingressClass).toBe("istio");
    expect(m.config.ingressControllerMode).toBe("STRICT");
    expect(m.config.rootNamespace).toBe("istio-system");
    expect(m.config.outboundTrafficPolicy).toEqual({ mode: "ALLOW_ANY" });
  });
  it("lets written values override and nested keys merge", () => {
    const m = readMeshConfig(
      objects(
        meshConfigMap(
          "accessLogFile: /dev/stdout\nenablePrometheusMerge: false\noutboundTrafficPolicy:\n  mode: REGISTRY_ONLY\ndefaultConfig:\n  holdApplicationUntilProxyStarts: true",
        ),
      ),
    );
    expect(m.config.accessLogFile).toBe("/dev/stdout");
    expect(m.config.enablePrometheusMerge).toBe(false);
    expect(m.config.outboundTrafficPolicy).toEqual({ mode: "REGISTRY_ONLY" });
    expect((m.config.defaultConfig as Record<string, unknown>).holdApplicationUntilProxyStarts).toBe(true);
    expect((m.config.defaultConfig as Record<string, unknown>).proxyAdminPort).toBe(15000);
    expect(m.written.accessLogFile).toBe("/dev/stdout");
  });
  it("reads istio-<rev> for a revision", () => {
    const list = objects(meshConfigMap("accessLogFile: a") + meshConfigMap("accessLogFile: b", "istio-canary"));
    expect(readMeshConfig(list, { revision: "canary" }).config.accessLogFile).toBe("b");
    expect(readMeshConfig(list, { revision: "default" }).config.accessLogFile).toBe("a");
  });
  it("says why it cannot read the config", () => {
    expect(readMeshConfig([]).problem).toMatch(/not found/);
    expect(readMeshConfig(objects(meshConfigMap("a: [unclosed"))).problem).toMatch(/not valid YAML/);
    expect(readMeshConfig(objects(meshConfigMap("- a list"))).problem).toMatch(/not a mapping/);
    expect(
      readMeshConfig(
        objects(
          "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata: { other: x }",
        ),
      ).problem,
    ).toMatch(/no key/);
  });
  it("fails the whole config for an enum in the wrong case, as istiod does (issue #13)", () => {
    const m = readMeshConfig(
      objects(meshConfigMap("accessLogFile: /dev/stdout\noutboundTrafficPolicy:\n  mode: registry_only")),
    );
    expect(m.problem).toMatch(
      /ConfigMap istio-system\/istio data\.mesh outboundTrafficPolicy\.mode is "registry_only", which Istio cannot parse \(one of REGISTRY_ONLY, ALLOW_ANY, exactly in that case\): istiod rejects the whole mesh config/,
    );
    // nothing of it applies: not even the keys written right
    expect(m.config.accessLogFile).toBe("");
    expect(readMeshConfig(objects(meshConfigMap("ingressControllerMode: Default"))).problem).toMatch(
      /ingressControllerMode is "Default"/,
    );
    expect(readMeshConfig(objects(meshConfigMap("accessLogEncoding: json"))).problem).toMatch(/accessLogEncoding/);
  });
  it("reads an enum written as its number by name", () => {
    const m = readMeshConfig(objects(meshConfigMap("outboundTrafficPolicy:\n  mode: 0\ningressControllerMode: 2")));
    expect(m.problem).toBeUndefined();
    expect(m.config.outboundTrafficPolicy).toEqual({ mode: "REGISTRY_ONLY" });
    expect(m.config.ingressControllerMode).toBe("DEFAULT");
    expect(readMeshConfig(objects(meshConfigMap("outboundTrafficPolicy:\n  mode: 7"))).problem).toMatch(/is 7/);
  });
});

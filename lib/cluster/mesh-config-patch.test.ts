import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  applyMeshConfigPatches,
  isKeyDeclared,
  meshConfigKeys,
  unsupportedFields,
  withMeshConfigPatches,
} from "./mesh-config-patch";
import type { KubeObject } from "./types";

const patch = (meshConfig: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: "install.istio.io/v1alpha1",
    kind: "IstioOperator",
    metadata: { name: "mesh" },
    spec: { meshConfig, ...extra },
  }) as KubeObject;

describe("mesh config patches", () => {
  it("names the leaves a patch sets; a list is one leaf", () => {
    expect(
      meshConfigKeys({
        enableAutoMtls: false,
        outboundTrafficPolicy: { mode: "REGISTRY_ONLY" },
        extensionProviders: [],
      }),
    ).toEqual(["enableAutoMtls", "outboundTrafficPolicy.mode", "extensionProviders"]);
  });

  it("sets only the keys it names, over the patches before it, and keeps every other key", () => {
    const installed =
      "enablePrometheusMerge: true\noutboundTrafficPolicy:\n  mode: ALLOW_ANY\nrootNamespace: istio-system\n";
    const text = applyMeshConfigPatches(installed, [
      patch({ enableAutoMtls: false, outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } }),
      patch({ enableAutoMtls: true }),
    ]);
    expect(parse(text)).toEqual({
      enablePrometheusMerge: true,
      outboundTrafficPolicy: { mode: "REGISTRY_ONLY" },
      rootNamespace: "istio-system",
      enableAutoMtls: true,
    });
  });

  it("shows the patched mesh config where a cluster keeps it, creating the ConfigMap when there is none", () => {
    const other: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "shop" } };
    const [kept, mesh] = withMeshConfigPatches([other], [patch({ accessLogFile: "/dev/stdout" })]) as (KubeObject & {
      data: { mesh: string };
    })[];
    expect(kept).toBe(other);
    expect(mesh.metadata).toMatchObject({ name: "istio", namespace: "istio-system" });
    expect(parse(mesh.data.mesh)).toEqual({ accessLogFile: "/dev/stdout" });
    expect(withMeshConfigPatches([other], [])).toEqual([other]);
  });

  it("refuses what would install something, and covers keys below a declared map", () => {
    expect(unsupportedFields(patch({}, { profile: "demo", components: {} }))).toEqual([
      "spec.profile",
      "spec.components",
    ]);
    expect(isKeyDeclared("outboundTrafficPolicy.mode", ["outboundTrafficPolicy"])).toBe(true);
    expect(isKeyDeclared("outboundTrafficPolicyX", ["outboundTrafficPolicy"])).toBe(false);
    expect(isKeyDeclared("outboundTrafficPolicy", ["outboundTrafficPolicy.mode"])).toBe(false);
  });

  it("merges maps as istioctl and Helm do: an empty map sets nothing, a map keeps the keys it does not name", () => {
    const installed = "defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n  proxyMetadata: { A: x }\n";
    const text = applyMeshConfigPatches(installed, [
      patch({ defaultConfig: { proxyMetadata: {} }, outboundTrafficPolicy: {} }),
    ]);
    expect(parse(text)).toEqual(parse(installed));
    expect(meshConfigKeys({ defaultConfig: {}, enableTracing: false })).toEqual(["enableTracing"]);
    const more = applyMeshConfigPatches(installed, [patch({ defaultConfig: { proxyMetadata: { B: "y" } } })]);
    expect(parse(more)).toEqual({
      defaultConfig: { discoveryAddress: "istiod.istio-system.svc:15012", proxyMetadata: { A: "x", B: "y" } },
    });
  });
});

import { describe, expect, it } from "vitest";
import { conflicts, isOverlappingConfigKey, isSameMeshObject, type ScenarioFootprint } from "./conflicts";
import { loadScenario } from "./load-scenario";
import type { Scenario, TMeshObject } from "./schema";

function scenario(id: string, namespaces: string[], objects: TMeshObject[] = [], config: string[] = []) {
  return { id, namespaces, mesh: { objects, config } } satisfies ScenarioFootprint;
}

/** Both ways round: the same reasons. */
function both(a: ScenarioFootprint, b: ScenarioFootprint): string[] {
  const ab = conflicts(a, b);
  expect(conflicts(b, a)).toEqual(ab);
  return ab;
}

describe("conflicts", () => {
  it("finds none between two catalog scenarios with their own namespaces and no mesh scope", () => {
    const mirroring = loadScenario("traffic-mirroring");
    const analyze = loadScenario("analyze-short-host");
    if (!mirroring.ok || !analyze.ok) throw new Error("the catalog scenarios do not load");
    expect(both(mirroring.scenario, analyze.scenario)).toEqual([]);
  });

  it("names a shared namespace", () => {
    const loaded = loadScenario("traffic-mirroring");
    if (!loaded.ok) throw new Error("traffic-mirroring does not load");
    const copy: Scenario = { ...loaded.scenario, id: "mirroring-copy", namespaces: ["other", "mirror-lab"] };
    expect(both(loaded.scenario, copy)).toEqual(["both own namespace mirror-lab"]);
  });

  it("names the same mesh object, defaulting the namespace to istio-system", () => {
    const a = scenario("a", ["a"], [{ kind: "PeerAuthentication", name: "default" }]);
    const b = scenario("b", ["b"], [{ kind: "PeerAuthentication", name: "default", namespace: "istio-system" }]);
    expect(both(a, b)).toEqual(["both declare mesh object PeerAuthentication istio-system/default"]);
  });

  it("tells objects apart by name, namespace and kind", () => {
    const a = scenario("a", ["a"], [{ kind: "PeerAuthentication", name: "default" }]);
    for (const other of [
      { kind: "PeerAuthentication", name: "strict" },
      { kind: "PeerAuthentication", name: "default", namespace: "other-root" },
      { kind: "AuthorizationPolicy", name: "default" },
    ]) {
      expect(both(a, scenario("b", ["b"], [other]))).toEqual([]);
    }
  });

  it("compares groups when either names an apiVersion", () => {
    const istioGateway = { apiVersion: "networking.istio.io/v1", kind: "Gateway", name: "gw" };
    const k8sGateway = { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", name: "gw" };
    expect(both(scenario("a", ["a"], [istioGateway]), scenario("b", ["b"], [k8sGateway]))).toEqual([]);
    // another version of the same group is the same object
    const v1beta1 = { ...istioGateway, apiVersion: "networking.istio.io/v1beta1" };
    expect(both(scenario("a", ["a"], [istioGateway]), scenario("b", ["b"], [v1beta1]))).toHaveLength(1);
    // a kind in two groups, named without one, may be either
    expect(both(scenario("a", ["a"], [k8sGateway]), scenario("b", ["b"], [{ kind: "Gateway", name: "gw" }]))).toEqual([
      "'a' declares Gateway (gateway.networking.k8s.io/v1) istio-system/gw, 'b' declares Gateway istio-system/gw: the same object",
    ]);
    // a kind in one group takes it: PeerAuthentication is security.istio.io
    const pa = { kind: "PeerAuthentication", name: "default" };
    expect(isSameMeshObject(pa, { ...pa, apiVersion: "security.istio.io/v1beta1" })).toBe(true);
    expect(isSameMeshObject(pa, { ...pa, apiVersion: "example.com/v1" })).toBe(false);
  });

  it("gives cluster-scoped kinds no namespace", () => {
    const a = scenario("a", ["a"], [{ kind: "IngressClass", name: "istio" }]);
    const b = scenario("b", ["b"], [{ kind: "IngressClass", name: "istio", namespace: "ignored" }]);
    expect(both(a, b)).toEqual(["both declare mesh object IngressClass istio"]);
  });

  it("names overlapping mesh config keys: equal, or a prefix at a dot", () => {
    const a = scenario("a", ["a"], [], ["outboundTrafficPolicy", "accessLogFile"]);
    expect(both(a, scenario("b", ["b"], [], ["outboundTrafficPolicy.mode"]))).toEqual([
      "mesh config keys overlap: 'a' declares outboundTrafficPolicy, 'b' declares outboundTrafficPolicy.mode",
    ]);
    expect(both(a, scenario("b", ["b"], [], ["accessLogFile"]))).toEqual([
      "both declare mesh config key accessLogFile",
    ]);
    expect(both(a, scenario("b", ["b"], [], ["accessLog", "accessLogFormat", "defaultConfig.tracing"]))).toEqual([]);
    expect(isOverlappingConfigKey("accessLog", "accessLogFile")).toBe(false);
    expect(isOverlappingConfigKey("defaultConfig.tracing", "defaultConfig")).toBe(true);
    expect(isOverlappingConfigKey("defaultConfig.tracing", "defaultConfig.tracingx")).toBe(false);
  });

  it("lists every reason, in the same order both ways", () => {
    const a = scenario("zeta", ["shared", "z"], [{ kind: "Sidecar", name: "default" }], ["enableTracing"]);
    const b = scenario("alpha", ["shared"], [{ kind: "Sidecar", name: "default" }], ["enableTracing"]);
    expect(both(a, b)).toEqual([
      "both own namespace shared",
      "both declare mesh object Sidecar istio-system/default",
      "both declare mesh config key enableTracing",
    ]);
  });
});

describe("install tasks", () => {
  it("conflict with each other (one bare cluster), not with practice scenarios", () => {
    const bare = (id: string) => ({ ...scenario(id, [`${id}-ns`]), requires: ["bareCluster" as const] });
    expect(conflicts(bare("a"), bare("b"))).toEqual(["both start over from the one bare cluster"]);
    expect(conflicts(bare("a"), scenario("c", ["c-ns"]))).toEqual([]);
  });
});

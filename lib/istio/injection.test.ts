import { describe, expect, it } from "vitest";
import { object } from "../../tests/unit/yaml-objects";
import { decideInjection, podProxyPresence } from "./injection";

describe("injection decision", () => {
  it("injects with istio-injection=enabled unless the pod opts out", () => {
    expect(decideInjection({ "istio-injection": "enabled" }, {}).injected).toBe(true);
    expect(decideInjection({ "istio-injection": "enabled" }, { "sidecar.istio.io/inject": "false" }).injected).toBe(
      false,
    );
    expect(decideInjection({ "istio-injection": "enabled" }, {}, { "sidecar.istio.io/inject": "false" }).injected).toBe(
      false,
    );
  });
  it("never injects with istio-injection other than enabled", () => {
    expect(decideInjection({ "istio-injection": "disabled" }, { "sidecar.istio.io/inject": "true" }).injected).toBe(
      false,
    );
    expect(decideInjection({ "istio-injection": "true" }, {}).reason).toMatch(/only "enabled"/);
  });
  it("uses istio.io/rev only when istio-injection is absent", () => {
    expect(decideInjection({ "istio.io/rev": "canary" }, {})).toMatchObject({ injected: true, revision: "canary" });
    expect(decideInjection({ "istio-injection": "disabled", "istio.io/rev": "canary" }, {}).injected).toBe(false);
    expect(decideInjection({ "istio-injection": "enabled", "istio.io/rev": "canary" }, {}).revision).toBe("default");
  });
  it("lets the pod label opt in only when neither namespace label exists", () => {
    expect(decideInjection({}, { "sidecar.istio.io/inject": "true" }).injected).toBe(true);
    expect(decideInjection({}, {}, { "sidecar.istio.io/inject": "true" }).injected).toBe(false);
    expect(decideInjection({}, {}).injected).toBe(false);
    expect(decideInjection({}, { "istio.io/rev": "canary" }).revision).toBe("canary");
  });
  it("never injects hostNetwork pods", () => {
    expect(decideInjection({ "istio-injection": "enabled" }, {}, {}, { hostNetwork: true }).injected).toBe(false);
  });
});

describe("proxy presence", () => {
  const pod = (spec: string, annotations = "{}") =>
    object(`apiVersion: v1\nkind: Pod\nmetadata: { name: p, annotations: ${annotations} }\nspec:\n${spec}`);
  it("finds the istio-proxy container", () => {
    expect(
      podProxyPresence(
        pod("  containers: [{ name: app }, { name: istio-proxy }]", '{ "sidecar.istio.io/status": "{}" }'),
      ).injected,
    ).toBe(true);
    expect(podProxyPresence(pod("  containers: [{ name: app }]")).injected).toBe(false);
  });
  it("finds a native sidecar (initContainer with restartPolicy Always)", () => {
    expect(
      podProxyPresence(
        pod("  initContainers: [{ name: istio-proxy, restartPolicy: Always }]\n  containers: [{ name: app }]"),
      ).injected,
    ).toBe(true);
    expect(
      podProxyPresence(pod("  initContainers: [{ name: istio-proxy }]\n  containers: [{ name: app }]")).injected,
    ).toBe(false);
  });
  it("notes a status annotation without a proxy", () => {
    expect(
      podProxyPresence(pod("  containers: [{ name: app }]", '{ "sidecar.istio.io/status": "{}" }')).detail,
    ).toMatch(/stale/);
  });
});

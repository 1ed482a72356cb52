import { describe, it } from "vitest";
import { meshConfigMap } from "../../../../tests/unit/yaml-objects";
import { expectFail, expectPass } from "../test-harness";

describe("mesh.field", () => {
  it("applies defaults: absent keys read as Istio's defaults, not false", async () => {
    const cm = meshConfigMap("defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012");
    await expectPass("mesh.field", { path: "enablePrometheusMerge", equals: true }, cm);
    await expectPass("mesh.field", { path: "accessLogFile", equals: "" }, cm);
    await expectPass("mesh.field", { path: "outboundTrafficPolicy.mode", equals: "ALLOW_ANY" }, cm);
    await expectFail(
      "mesh.field",
      { path: "accessLogFile", equals: "/dev/stdout" },
      cm,
      /accessLogFile is "" \(Istio's default; the key is absent\), expected "\/dev\/stdout"/,
    );
  });
  it("reads written values, revisions, and compares loosely", async () => {
    const cm =
      meshConfigMap(
        "accessLogFile: /dev/stdout\naccessLogEncoding: JSON\nconnectTimeout: 10.0s\noutboundTrafficPolicy: { mode: REGISTRY_ONLY }",
      ) + meshConfigMap("accessLogFile: /tmp/x", "istio-canary");
    await expectPass("mesh.field", { path: "accessLogFile", equals: "/dev/stdout" }, cm);
    await expectPass("mesh.field", { path: "accessLogEncoding", oneOf: ["JSON"] }, cm);
    await expectPass("mesh.field", { path: "connectTimeout", equals: "10s" }, cm);
    await expectPass("mesh.field", { path: "outboundTrafficPolicy", equals: { mode: "REGISTRY_ONLY" } }, cm);
    await expectPass("mesh.field", { path: "accessLogFile", revision: "canary", equals: "/tmp/x" }, cm);
    await expectFail("mesh.field", { path: "accessLogEncoding", notEquals: "JSON" }, cm, /expected anything else/);
  });
  it("fails when the ConfigMap is missing", async () => {
    await expectFail(
      "mesh.field",
      { path: "accessLogFile", equals: "" },
      "",
      /ConfigMap istio-system\/istio not found \(is Istio installed\?\)/,
    );
  });
  it("fails every key when a wrong-case enum makes istiod reject the mesh config (issue #13)", async () => {
    const cm = meshConfigMap("accessLogFile: /dev/stdout\noutboundTrafficPolicy:\n  mode: registry_only");
    await expectFail(
      "mesh.field",
      { path: "outboundTrafficPolicy.mode", equals: "REGISTRY_ONLY" },
      cm,
      /data\.mesh outboundTrafficPolicy\.mode is "registry_only", which Istio cannot parse/,
    );
    await expectFail(
      "mesh.field",
      { path: "accessLogFile", equals: "/dev/stdout" },
      cm,
      /rejects the whole mesh config/,
    );
    await expectPass(
      "mesh.field",
      { path: "outboundTrafficPolicy.mode", equals: "REGISTRY_ONLY" },
      meshConfigMap("outboundTrafficPolicy:\n  mode: 0"),
    );
  });
});

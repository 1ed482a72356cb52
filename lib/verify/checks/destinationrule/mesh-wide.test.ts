import { describe, expect, it } from "vitest";
import { expectFail, expectPass, grade } from "../test-harness";
import { dr, subsets, target, world } from "./test-world";

// A mesh-wide DestinationRule: root namespace, a host that covers every service.
const meshWide = (tp: string, host = "*.local", extra = "") =>
  dr(`  host: "${host}"\n${extra}  trafficPolicy:\n${tp}\n`, "mesh-default", "istio-system");
const outlier = "    outlierDetection: { consecutive5xxErrors: 3, baseEjectionTime: 60s }";

describe("a mesh-wide DestinationRule in a check's message", () => {
  it("is named as mesh-wide when it decides the failure", async () => {
    const r = await expectFail(
      "destinationrule.load-balancer",
      { ...target, simple: "ROUND_ROBIN" },
      world(meshWide("    loadBalancer: { simple: RANDOM }")),
      /^DestinationRule istio-system\/mesh-default \(mesh-wide\) spec\.trafficPolicy\.loadBalancer\.simple is "RANDOM"/,
    );
    expect(r.evidence[0]).toMatchObject({ namespace: "istio-system", name: "mesh-default" });
    await expectFail(
      "destinationrule.subsets",
      { ...target, subsets: ["v1"] },
      world(meshWide(outlier)),
      /^DestinationRule istio-system\/mesh-default \(mesh-wide\) has no subset "v1"/,
    );
  });

  it("is named when a namespace DestinationRule shadows it and lacks the field it sets", async () => {
    const shadowed = world(meshWide(outlier), dr(`  host: helloworld\n${subsets}`));
    const r = await expectFail(
      "destinationrule.outlier-detection",
      { ...target, consecutive5xxErrors: 3 },
      shadowed,
      /^DestinationRule shop\/helloworld spec\.trafficPolicy\.outlierDetection is unset/,
      /shadows the mesh-wide DestinationRule istio-system\/mesh-default \(host "\*\.local"\), whose spec\.trafficPolicy\.outlierDetection it does not inherit/,
    );
    expect(r.evidence.map((e) => `${e.namespace}/${e.name}`)).toEqual(["shop/helloworld", "istio-system/mesh-default"]);
    // The shadowed rule is not mentioned when it does not set the field either.
    const other = await grade(
      "destinationrule.load-balancer",
      { ...target, simple: "RANDOM" },
      world(meshWide(outlier), dr(`  host: helloworld\n${subsets}`)),
    );
    expect(other.message).not.toMatch(/shadows/);
  });

  it("meshWide: the rule that applies must be a root-namespace rule for every service", async () => {
    const params = { ...target, meshWide: true, consecutive5xxErrors: 3 };
    await expectPass("destinationrule.outlier-detection", params, world(meshWide(outlier)));
    await expectPass("destinationrule.outlier-detection", params, world(meshWide(outlier, "*")));
    await expectPass("destinationrule.outlier-detection", params, world(meshWide(outlier, "*.svc.cluster.local")));
    await expectFail(
      "destinationrule.outlier-detection",
      params,
      world(dr(`  host: "*.local"\n  trafficPolicy:\n${outlier}\n`, "mesh-default")),
      /DestinationRule shop\/mesh-default applies to clients in namespace shop from namespace shop, not from the root namespace istio-system: it is not mesh-wide/,
    );
    await expectFail(
      "destinationrule.outlier-detection",
      params,
      world(meshWide(outlier, "*.shop.svc.cluster.local")),
      /spec\.host "\*\.shop\.svc\.cluster\.local" does not cover every service of the mesh/,
    );
    await expectFail(
      "destinationrule.outlier-detection",
      params,
      world(meshWide(outlier, "*.local", '  exportTo: ["."]\n')),
      /no DestinationRule for host/,
    );
  });
});

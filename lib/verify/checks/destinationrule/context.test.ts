import { describe, expect, it } from "vitest";
import { grade } from "../test-harness";
import { dr, target, world } from "./test-world";

// Every policy field written three times: at the top level, in subset v2's trafficPolicy and in
// the top level's portLevelSettings entry for port 5000 (the second entry).
const layered = world(
  dr(`  host: helloworld
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    connectionPool: { tcp: { maxConnections: 1 } }
    outlierDetection: { consecutive5xxErrors: 1 }
    tls: { mode: SIMPLE }
    portLevelSettings:
    - port: { number: 9000 }
      loadBalancer: { simple: LEAST_REQUEST }
    - port: { number: 5000 }
      loadBalancer: { simple: RANDOM }
      connectionPool: { tcp: { maxConnections: 5 } }
      outlierDetection: { consecutive5xxErrors: 5 }
      tls: { mode: ISTIO_MUTUAL }
  subsets:
  - { name: v1, labels: { version: v1 } }
  - name: v2
    labels: { version: v2 }
    trafficPolicy:
      loadBalancer: { simple: LEAST_REQUEST }
      connectionPool: { tcp: { maxConnections: 2 } }
      outlierDetection: { consecutive5xxErrors: 2 }
      tls: { mode: MUTUAL }
      portLevelSettings:
      - port: { number: 7000 }
        connectionPool: { tcp: { maxConnections: 7 } }`),
);

// Each check with parameters it fails on whatever the layer, and the policy field it reads.
const checks: [string, Record<string, unknown>, string][] = [
  ["destinationrule.load-balancer", { simple: "PASSTHROUGH" }, "loadBalancer"],
  ["destinationrule.consistent-hash", { key: "useSourceIp" }, "loadBalancer"],
  ["destinationrule.connection-pool", { tcp: { maxConnections: 100 } }, "connectionPool"],
  ["destinationrule.outlier-detection", { consecutive5xxErrors: 100 }, "outlierDetection"],
  ["destinationrule.locality-failover", { failoverPriority: ["topology.kubernetes.io/region"] }, "loadBalancer"],
  ["destinationrule.tls", { mode: "DISABLE" }, "tls"],
];
const layers: [string, Record<string, unknown>, string][] = [
  ["the top level", {}, "spec.trafficPolicy"],
  ["a subset's trafficPolicy", { subset: "v2" }, "spec.subsets[1].trafficPolicy"],
  ["a portLevelSettings entry", { port: 5000 }, "spec.trafficPolicy.portLevelSettings[1]"],
];
const cases = checks.flatMap(([use, params, field]) =>
  layers.map(([layer, where, path]) => [use, layer, { ...params, ...where }, `${path}.${field}`] as const),
);

describe("DestinationRule policy locations", () => {
  it.each(cases)("%s names the field where %s sets it", async (use, _layer, params, path) => {
    const r = await grade(use, { ...target, ...params }, layered);
    expect(r.status, r.message).toBe("fail");
    expect(r.message).toContain(`DestinationRule shop/helloworld ${path}`);
    expect(r.evidence[0]).toMatchObject({ kind: "DestinationRule", name: "helloworld", field: path });
    expect(r.evidence[0].value).toBeDefined();
  });

  it("names the portLevelSettings entry that leaves a field unset, in a subset's policy too", async () => {
    const unset = await grade(
      "destinationrule.load-balancer",
      { ...target, subset: "v2", port: 7000, simple: "RANDOM" },
      layered,
    );
    expect(unset.message).toMatch(
      /^DestinationRule shop\/helloworld spec\.subsets\[1\]\.trafficPolicy\.portLevelSettings\[0\]\.loadBalancer is unset \(Istio's default is LEAST_REQUEST\)/,
    );
    expect(unset.evidence).toEqual([
      {
        kind: "DestinationRule",
        name: "helloworld",
        namespace: "shop",
        field: "spec.subsets[1].trafficPolicy.portLevelSettings[0].loadBalancer",
        value: undefined,
      },
    ]);
  });

  it("names the top-level trafficPolicy of every merged rule when no rule sets the field", async () => {
    const merged = world(
      dr("  host: helloworld\n  subsets: [{ name: v1, labels: { version: v1 } }]", "a"),
      dr("  host: helloworld\n  subsets: [{ name: v2, labels: { version: v2 } }]", "b"),
    );
    const r = await grade("destinationrule.tls", { ...target, mode: "SIMPLE" }, merged);
    expect(r.message).toMatch(/^DestinationRule shop\/a\+b spec\.trafficPolicy\.tls is unset/);
    expect(r.evidence.map((e) => `${e.name} ${e.field}`)).toEqual([
      "a spec.trafficPolicy.tls",
      "b spec.trafficPolicy.tls",
    ]);
  });
});

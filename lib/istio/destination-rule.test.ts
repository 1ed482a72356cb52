import { describe, expect, it } from "vitest";
import { objects } from "../../tests/unit/yaml-objects";
import { effectivePolicy, findDestinationRule } from "./destination-rule";

const HOST = "reviews.shop.svc.cluster.local";

function dr(name: string, ns: string, host: string, body = "", created?: string): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ""} }
spec:
  host: "${host}"
${body}
---
`;
}

const lookup = (yaml: string, clientNamespace = "shop") =>
  findDestinationRule(objects(yaml), { host: HOST, clientNamespace });

describe("DestinationRule lookup", () => {
  it("uses the client's namespace first", () => {
    const found = lookup(dr("svc-ns", "shop", "reviews") + dr("client", "client", HOST), "client");
    expect(found?.sources[0].metadata.name).toBe("client");
    expect(found?.scope).toBe("client namespace");
  });
  it("then the service's namespace (exported rules only)", () => {
    expect(lookup(dr("svc-ns", "shop", "reviews"), "client")?.scope).toBe("service namespace");
    expect(lookup(dr("private", "shop", "reviews", '  exportTo: ["."]'), "client")).toBeUndefined();
    expect(lookup(dr("other", "shop", "reviews", '  exportTo: ["x"]'), "client")).toBeUndefined();
  });
  it("then the root namespace", () => {
    expect(lookup(dr("mesh", "istio-system", "*.local"), "client")?.scope).toBe("root namespace");
  });
  it("lets a namespace DR fully shadow a mesh-wide one (no field inheritance)", () => {
    const found = lookup(
      dr("mesh", "istio-system", "*.local", "  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }") +
        dr("ns", "shop", "reviews", "  subsets: [{ name: v1, labels: { version: v1 } }]"),
    );
    expect(found?.sources.map((s) => s.metadata.name)).toEqual(["ns"]);
    expect(found?.trafficPolicy).toBeUndefined();
  });
  it("prefers the most specific host within a namespace", () => {
    const found = lookup(
      dr("wild", "shop", "*.shop.svc.cluster.local") + dr("exact", "shop", "reviews") + dr("all", "shop", "*"),
    );
    expect(found?.sources.map((s) => s.metadata.name)).toEqual(["exact"]);
  });
  it("does not expand a host with a dot", () => {
    expect(lookup(dr("dotted", "shop", "reviews.shop"))).toBeUndefined();
  });
  it("merges same-host DRs of a namespace: subsets append, duplicates dropped, oldest trafficPolicy wins", () => {
    const found = lookup(
      dr(
        "newer",
        "shop",
        "reviews",
        "  trafficPolicy: { loadBalancer: { simple: RANDOM } }\n  subsets: [{ name: v1, labels: { version: x } }, { name: v3, labels: { version: v3 } }]",
        "2024-02-01T00:00:00Z",
      ) +
        dr(
          "older",
          "shop",
          "reviews",
          "  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }\n  subsets: [{ name: v1, labels: { version: v1 } }]",
          "2024-01-01T00:00:00Z",
        ),
    );
    expect(found?.sources.map((s) => s.metadata.name)).toEqual(["older", "newer"]);
    expect(found?.subsets.map((s) => `${s.name}=${s.labels.version}`)).toEqual(["v1=v1", "v3=v3"]);
    expect(found?.droppedSubsets.map((s) => s.name)).toEqual(["v1"]);
    expect(found?.trafficPolicy).toEqual({ loadBalancer: { simple: "ROUND_ROBIN" } });
  });
  it("takes the trafficPolicy from the oldest DR that has one", () => {
    const found = lookup(
      dr("newer", "shop", "reviews", "  trafficPolicy: { loadBalancer: { simple: RANDOM } }", "2024-02-01T00:00:00Z") +
        dr("older", "shop", "reviews", "  subsets: []", "2024-01-01T00:00:00Z"),
    );
    expect(found?.trafficPolicy).toEqual({ loadBalancer: { simple: "RANDOM" } });
  });
  it("for a client in the root namespace (a gateway): its private rules, then the service's namespace, then the root's", () => {
    expect(lookup(dr("svc-ns", "shop", "reviews"), "istio-system")?.scope).toBe("service namespace");
    expect(
      lookup(dr("svc-ns", "shop", "reviews") + dr("mesh", "istio-system", "*.local"), "istio-system")?.sources[0]
        .metadata.name,
    ).toBe("svc-ns");
    expect(lookup(dr("mesh", "istio-system", "*.local"), "istio-system")?.scope).toBe("root namespace");
    const priv = dr("priv", "istio-system", HOST, '  exportTo: ["."]');
    expect(lookup(dr("svc-ns", "shop", "reviews") + priv, "istio-system")?.sources[0].metadata.name).toBe("priv");
  });
  it("merges same-host DRs of a namespace only when their exportTo is the same (ENABLE_ENHANCED_DESTINATIONRULE_MERGE)", () => {
    // Kept apart, the rule listed last applies whole (pilot's SidecarScope.DestinationRule takes the last one).
    const found = lookup(
      dr(
        "older",
        "shop",
        "reviews",
        "  trafficPolicy: { loadBalancer: { simple: RANDOM } }\n  subsets: [{ name: v1, labels: { version: v1 } }]",
        "2024-01-01T00:00:00Z",
      ) +
        dr(
          "newer",
          "shop",
          "reviews",
          '  exportTo: ["."]\n  subsets: [{ name: v2, labels: { version: v2 } }]',
          "2024-02-01T00:00:00Z",
        ),
    );
    expect(found?.sources.map((s) => s.metadata.name)).toEqual(["newer"]);
    expect(found?.subsets.map((s) => s.name)).toEqual(["v2"]);
    expect(found?.trafficPolicy).toBeUndefined();
    // A newer rule whose exportTo includes the older one's merges into it and also stands alone.
    const superset = lookup(
      dr(
        "older",
        "shop",
        "reviews",
        '  exportTo: ["client"]\n  subsets: [{ name: v1, labels: { version: v1 } }]',
        "2024-01-01T00:00:00Z",
      ) +
        dr(
          "newer",
          "shop",
          "reviews",
          '  exportTo: ["client", "x"]\n  subsets: [{ name: v2, labels: { version: v2 } }]',
          "2024-02-01T00:00:00Z",
        ),
      "client",
    );
    expect(superset?.sources.map((s) => s.metadata.name)).toEqual(["newer"]);
  });
  it("in the service's namespace, picks among the most specific host's rules those exported to the client", () => {
    const found = lookup(
      dr("to-client", "shop", "reviews", '  exportTo: ["client"]', "2024-01-01T00:00:00Z") +
        dr("to-other", "shop", "reviews", '  exportTo: ["other"]', "2024-02-01T00:00:00Z"),
      "client",
    );
    expect(found?.sources.map((s) => s.metadata.name)).toEqual(["to-client"]);
    expect(found?.scope).toBe("service namespace");
  });
  it("leaves out DRs with a workloadSelector", () => {
    expect(lookup(dr("sel", "shop", "reviews", "  workloadSelector: { matchLabels: { app: x } }"))).toBeUndefined();
  });
});

describe("effective traffic policy", () => {
  const found = lookup(
    dr(
      "r",
      "shop",
      "reviews",
      `  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    connectionPool: { tcp: { maxConnections: 10 } }
    portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { simple: RANDOM } }]
  subsets:
  - name: v2
    labels: { version: v2 }
    trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } }`,
    ),
  );
  it("lets a subset's policy override the top level field by field", () => {
    if (!found) throw new Error("no DR");
    expect(effectivePolicy(found).policy.loadBalancer).toEqual({ simple: "ROUND_ROBIN" });
    const v2 = effectivePolicy(found, "v2");
    expect(v2.policy.loadBalancer).toEqual({ simple: "LEAST_REQUEST" });
    expect(v2.policy.connectionPool).toEqual({ tcp: { maxConnections: 10 } });
    expect(v2.from.loadBalancer).toContain("spec.subsets[0].trafficPolicy");
  });
  it("lets portLevelSettings override for its port", () => {
    if (!found) throw new Error("no DR");
    expect(effectivePolicy(found, undefined, 9080).policy.loadBalancer).toEqual({ simple: "RANDOM" });
  });
  it("gives a port with portLevelSettings nothing of the level above (unset fields take defaults)", () => {
    if (!found) throw new Error("no DR");
    expect(effectivePolicy(found, undefined, 9080).policy.connectionPool).toBeUndefined();
    expect(effectivePolicy(found, undefined, 9090).policy.connectionPool).toEqual({ tcp: { maxConnections: 10 } });
    expect(effectivePolicy(found, "v2", 9080).policy.loadBalancer).toEqual({ simple: "LEAST_REQUEST" });
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass, helloworld } from "./harness";

const dr = (spec: string, name = "helloworld", ns = "shop") => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec}
---
`;
const subsets = "  subsets:\n  - { name: v1, labels: { version: v1 } }\n  - { name: v2, labels: { version: v2 } }\n";
const world = (...docs: string[]) => helloworld() + docs.join("");
const target = { host: "helloworld", namespace: "shop" };
const SUBSETS = "destinationrule.subsets";

describe("destinationrule.subsets", () => {
  it("accepts subsets that select the service's pods, with short or FQDN hosts, in any order", async () => {
    await expectPass(SUBSETS, { ...target, subsets: ["v1", "v2"] }, world(dr(`  host: helloworld\n${subsets}`)));
    await expectPass(
      SUBSETS,
      { ...target, subsets: ["v2", "v1"] },
      world(dr(`  host: helloworld.shop.svc.cluster.local\n${subsets}`)),
    );
    await expectPass(
      SUBSETS,
      { ...target, subsets: { v1: { version: "v1" } } },
      world(dr(`  host: helloworld\n  subsets: [{ name: v1, labels: { version: v1, app: helloworld } }]`)),
    );
  });
  it("accepts subsets merged from two DestinationRules for the same host", async () => {
    await expectPass(
      SUBSETS,
      { ...target, subsets: ["v1", "v2"] },
      world(
        dr("  host: helloworld\n  subsets: [{ name: v1, labels: { version: v1 } }]", "a") +
          dr("  host: helloworld\n  subsets: [{ name: v2, labels: { version: v2 } }]", "b"),
      ),
    );
  });
  it("rejects a missing subset and labels that select no pod", async () => {
    await expectFail(
      SUBSETS,
      { ...target, subsets: ["v1", "v3"] },
      world(dr(`  host: helloworld\n${subsets}`)),
      /has no subset "v3" \(it has "v1" and "v2"\)/,
    );
    await expectFail(
      SUBSETS,
      { ...target, subsets: ["v1"] },
      world(dr('  host: helloworld\n  subsets: [{ name: v1, labels: { version: "1" } }]')),
      /spec\.subsets\[0\]\.labels version=1 select no pod of Service shop\/helloworld \(its pods have version=v1 and version=v2\)/,
    );
    await expectFail(
      SUBSETS,
      { ...target, subsets: { v1: { track: "stable" } } },
      world(dr(`  host: helloworld\n${subsets}`)),
      /expected track=stable/,
    );
  });
  it("rejects a DR on an unexpanded host and explains it", async () => {
    await expectFail(
      SUBSETS,
      { ...target, subsets: ["v1"] },
      world(dr(`  host: helloworld.shop\n${subsets}`)),
      /no DestinationRule for host .* "helloworld\.shop", which Istio takes as written/,
    );
  });
  it("lets the client namespace's DR shadow the service namespace's", async () => {
    const both = world(
      dr(
        `  host: helloworld.shop.svc.cluster.local\n  subsets: [{ name: v1, labels: { version: v1 } }]`,
        "client-dr",
        "client",
      ),
      dr(`  host: helloworld\n${subsets}`),
    );
    await expectPass(SUBSETS, { ...target, subsets: ["v1", "v2"] }, both);
    await expectFail(
      SUBSETS,
      { ...target, fromNamespace: "client", subsets: ["v1", "v2"] },
      both,
      /DestinationRule client\/client-dr has no subset "v2"/,
    );
  });
  it("checks running pods when there are any", async () => {
    const pod =
      "apiVersion: v1\nkind: Pod\nmetadata: { name: p, labels: { app: helloworld, version: v3 } }\nspec: { containers: [{ name: c }] }\nstatus: { phase: Running }\n---\n";
    await expectPass(
      SUBSETS,
      { ...target, subsets: { v3: { version: "v3" } } },
      world(pod, dr("  host: helloworld\n  subsets: [{ name: v3, labels: { version: v3 } }]")),
    );
  });
});

describe("destinationrule traffic policies", () => {
  const policy = (tp: string, extra = "") => world(dr(`  host: helloworld\n  trafficPolicy:\n${tp}\n${extra}`));
  it("load-balancer: top level, per subset (override), LEAST_CONN as LEAST_REQUEST", async () => {
    const lb = policy(
      "    loadBalancer: { simple: ROUND_ROBIN }",
      "  subsets:\n  - { name: v1, labels: { version: v1 }, trafficPolicy: { loadBalancer: { simple: LEAST_CONN } } }\n  - { name: v2, labels: { version: v2 } }",
    );
    await expectPass("destinationrule.load-balancer", { ...target, simple: "ROUND_ROBIN" }, lb);
    await expectPass("destinationrule.load-balancer", { ...target, subset: "v2", simple: "ROUND_ROBIN" }, lb);
    await expectPass("destinationrule.load-balancer", { ...target, subset: "v1", simple: "LEAST_REQUEST" }, lb);
    await expectFail(
      "destinationrule.load-balancer",
      { ...target, simple: "RANDOM" },
      lb,
      /loadBalancer\.simple is "ROUND_ROBIN", expected RANDOM/,
    );
    await expectFail(
      "destinationrule.load-balancer",
      { ...target, subset: "v9", simple: "RANDOM" },
      lb,
      /has no subset "v9"/,
    );
    await expectFail(
      "destinationrule.load-balancer",
      { ...target, simple: "RANDOM" },
      world(dr(`  host: helloworld\n${subsets}`)),
      /unset \(Istio's default is LEAST_REQUEST\)/,
    );
  });
  it("load-balancer: an unset algorithm is Istio's default, LEAST_REQUEST", async () => {
    await expectPass(
      "destinationrule.load-balancer",
      { ...target, simple: "LEAST_REQUEST" },
      world(dr(`  host: helloworld\n${subsets}`)),
    );
    await expectPass(
      "destinationrule.load-balancer",
      { ...target, simple: "LEAST_REQUEST" },
      policy("    loadBalancer: { localityLbSetting: { enabled: true } }"),
    );
    await expectFail(
      "destinationrule.load-balancer",
      { ...target, simple: "ROUND_ROBIN" },
      policy("    loadBalancer: { localityLbSetting: { enabled: true } }"),
      /loadBalancer\.simple is unset \(Istio's default is LEAST_REQUEST\), expected ROUND_ROBIN/,
    );
  });
  it("load-balancer on a port: its portLevelSettings do not inherit the top-level algorithm", async () => {
    const ported = policy(
      "    loadBalancer: { simple: RANDOM }\n    portLevelSettings: [{ port: { number: 5000 }, connectionPool: { tcp: { maxConnections: 1 } } }]",
    );
    await expectFail(
      "destinationrule.load-balancer",
      { ...target, port: 5000, simple: "RANDOM" },
      ported,
      /unset \(Istio's default is LEAST_REQUEST\)/,
    );
    await expectPass("destinationrule.load-balancer", { ...target, port: 5000, simple: "LEAST_REQUEST" }, ported);
  });
  it("consistent-hash: exactly one key", async () => {
    await expectPass(
      "destinationrule.consistent-hash",
      { ...target, key: "httpHeaderName", value: "X-User" },
      policy("    loadBalancer: { consistentHash: { httpHeaderName: x-user } }"),
    );
    await expectPass(
      "destinationrule.consistent-hash",
      { ...target, key: "httpCookie", value: "user", ttl: "0s" },
      policy("    loadBalancer: { consistentHash: { httpCookie: { name: user, ttl: 0s } } }"),
    );
    await expectPass(
      "destinationrule.consistent-hash",
      { ...target, key: "useSourceIp" },
      policy("    loadBalancer: { consistentHash: { useSourceIp: true } }"),
    );
    await expectFail(
      "destinationrule.consistent-hash",
      { ...target, key: "useSourceIp" },
      policy("    loadBalancer: { consistentHash: { useSourceIp: true, httpHeaderName: x } }"),
      /sets httpHeaderName and useSourceIp; it needs exactly one/,
    );
    await expectFail(
      "destinationrule.consistent-hash",
      { ...target, key: "httpHeaderName" },
      policy("    loadBalancer: { simple: RANDOM }"),
      /consistentHash is unset/,
    );
  });
  it("connection-pool and outlier-detection compare numbers and durations by value", async () => {
    const cb = policy(
      "    connectionPool: { tcp: { maxConnections: 1, connectTimeout: 30ms }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } }\n    outlierDetection: { consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 180s, maxEjectionPercent: 100 }",
    );
    await expectPass(
      "destinationrule.connection-pool",
      { ...target, tcp: { maxConnections: 1, connectTimeout: "0.03s" }, http: { http1MaxPendingRequests: "1" } },
      cb,
    );
    await expectPass(
      "destinationrule.outlier-detection",
      { ...target, consecutive5xxErrors: 1, interval: "1000ms", baseEjectionTime: "3m", maxEjectionPercent: 100 },
      cb,
    );
    await expectFail(
      "destinationrule.connection-pool",
      { ...target, tcp: { maxConnections: 100 } },
      cb,
      /tcp\.maxConnections is 1, expected 100/,
    );
    await expectFail(
      "destinationrule.outlier-detection",
      { ...target, baseEjectionTime: "30s" },
      cb,
      /baseEjectionTime is "180s", expected "30s"/,
    );
    await expectFail(
      "destinationrule.outlier-detection",
      target,
      world(dr(`  host: helloworld\n${subsets}`)),
      /outlierDetection is unset/,
    );
  });
  it("outlier-detection reads omitted fields as Istio's/Envoy's defaults", async () => {
    const od = policy("    outlierDetection: { consecutive5xxErrors: 7 }");
    await expectPass(
      "destinationrule.outlier-detection",
      {
        ...target,
        consecutive5xxErrors: 7,
        interval: "10s",
        baseEjectionTime: "30s",
        maxEjectionPercent: 10,
        minHealthPercent: 0,
        consecutiveGatewayErrors: 0,
      },
      od,
    );
    await expectPass(
      "destinationrule.outlier-detection",
      { ...target, consecutive5xxErrors: 5, interval: "10000ms" },
      policy("    outlierDetection: { baseEjectionTime: 1m }"),
    );
    // maxEjectionPercent 0 is proto3's "unset": Istio leaves Envoy's default of 10%.
    await expectPass(
      "destinationrule.outlier-detection",
      { ...target, maxEjectionPercent: 10 },
      policy("    outlierDetection: { maxEjectionPercent: 0, consecutive5xxErrors: 1 }"),
    );
    await expectFail(
      "destinationrule.outlier-detection",
      { ...target, interval: "1s", maxEjectionPercent: 100 },
      od,
      /interval is unset \(default 10s\), expected "1s"; maxEjectionPercent is unset \(default 10\), expected 100/,
    );
  });
  it("locality-failover needs outlier detection", async () => {
    const fo = "    loadBalancer: { localityLbSetting: { enabled: true, failover: [{ from: us-east, to: us-west }] } }";
    await expectPass(
      "destinationrule.locality-failover",
      { ...target, failover: [{ from: "us-east", to: "us-west" }] },
      policy(`${fo}\n    outlierDetection: { consecutive5xxErrors: 1 }`),
    );
    await expectFail(
      "destinationrule.locality-failover",
      target,
      policy(fo),
      /outlierDetection is unset, so Istio never fails over/,
    );
    await expectFail(
      "destinationrule.locality-failover",
      { ...target, failoverPriority: ["topology.kubernetes.io/region"] },
      policy(`${fo}\n    outlierDetection: {}`),
      /failoverPriority is unset/,
    );
  });
  it("tls", async () => {
    await expectPass(
      "destinationrule.tls",
      { ...target, mode: "ISTIO_MUTUAL" },
      policy("    tls: { mode: ISTIO_MUTUAL }"),
    );
    await expectFail(
      "destinationrule.tls",
      { ...target, mode: "SIMPLE", sni: "x" },
      policy("    tls: { mode: SIMPLE }"),
      /sni is unset, expected "x"/,
    );
  });
});

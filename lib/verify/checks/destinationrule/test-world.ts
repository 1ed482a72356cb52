// Test helper: YAML the DestinationRule check tests build on (helloworld with pods v1 and v2).
import { helloworld } from "../test-objects";

/** A DestinationRule with this spec (indented YAML lines). */
export const dr = (spec: string, name = "helloworld", ns = "shop") => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec}
---
`;

/** Subsets v1 and v2 by version label, as spec lines. */
export const subsets =
  "  subsets:\n  - { name: v1, labels: { version: v1 } }\n  - { name: v2, labels: { version: v2 } }\n";

export const world = (...docs: string[]) => helloworld() + docs.join("");

export const target = { host: "helloworld", namespace: "shop" };

/** helloworld with a DestinationRule holding this top-level trafficPolicy and `extra` spec lines. */
export const policy = (tp: string, extra = "") => world(dr(`  host: helloworld\n  trafficPolicy:\n${tp}\n${extra}`));

/** Circuit breaking: a connectionPool and an outlierDetection at the top level. */
export const circuitBreaker = policy(
  "    connectionPool: { tcp: { maxConnections: 1, connectTimeout: 30ms }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } }\n    outlierDetection: { consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 180s, maxEjectionPercent: 100 }",
);

// Property tests: every built-in, fed random and malformed objects and parameters through the
// engine, never lets an exception escape and always explains its verdict.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FileCluster, parseManifests } from "../../lib/cluster/file-cluster";
import type { KindRef, KubeObject } from "../../lib/cluster/types";
import { runChecks } from "../../lib/verify/engine";
import { builtinChecks } from "../../lib/verify/registry";
import type { CheckDefinition } from "../../lib/verify/types";

const KEYS = [
  "hosts",
  "host",
  "http",
  "tcp",
  "tls",
  "route",
  "destination",
  "subset",
  "weight",
  "mirror",
  "mirrors",
  "mirrorPercentage",
  "percentage",
  "value",
  "match",
  "uri",
  "prefix",
  "exact",
  "regex",
  "headers",
  "request",
  "response",
  "set",
  "add",
  "remove",
  "gateways",
  "delegate",
  "name",
  "namespace",
  "timeout",
  "retries",
  "attempts",
  "retryOn",
  "fault",
  "delay",
  "abort",
  "fixedDelay",
  "httpStatus",
  "corsPolicy",
  "allowOrigins",
  "trafficPolicy",
  "loadBalancer",
  "simple",
  "consistentHash",
  "httpHeaderName",
  "useSourceIp",
  "connectionPool",
  "outlierDetection",
  "subsets",
  "labels",
  "selector",
  "matchLabels",
  "servers",
  "port",
  "number",
  "protocol",
  "mode",
  "credentialName",
  "rules",
  "from",
  "to",
  "source",
  "operation",
  "principals",
  "methods",
  "paths",
  "action",
  "jwtRules",
  "issuer",
  "jwksUri",
  "egress",
  "exportTo",
  "mtls",
  "portLevelMtls",
  "template",
  "metadata",
  "spec",
  "containers",
  "initContainers",
  "restartPolicy",
  "ports",
  "parentRefs",
  "backendRefs",
  "rules",
  "matches",
  "listeners",
  "gatewayClassName",
  "controller",
  "ingressClassName",
  "mesh",
  "address",
  "serviceAccount",
  "replicas",
  "availableReplicas",
  "localityLbSetting",
  "failover",
  "workloadSelector",
  "hostnames",
  "conditions",
];
const WORDS = [
  "helloworld",
  "reviews",
  "v1",
  "v2",
  "shop",
  "*",
  "mesh",
  "gw",
  "istio-system/*",
  "./*",
  "5s",
  "x",
  "",
  "/",
  "/api",
  "ISTIO_MUTUAL",
  "STRICT",
  "DENY",
  "ALLOW",
  "ROUND_ROBIN",
  "istio-proxy",
  "Always",
  "helloworld.shop",
  "helloworld.shop.svc.cluster.local",
];

const leaf = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.integer({ min: -5, max: 200 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 8 }),
);
const { node } = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("node"), { maxKeys: 5 }),
  ),
}));
const labels = fc.option(
  fc.oneof(
    fc.dictionary(
      fc.constantFrom("app", "version", "istio", "istio-injection", "istio.io/rev", "sidecar.istio.io/inject"),
      fc.constantFrom("helloworld", "v1", "v2", "enabled", "false", "true", "ingressgateway"),
    ),
    node,
  ),
  { nil: undefined },
);
const timestamp = fc.option(
  fc.oneof(
    fc.date({ min: new Date(2020, 0, 1), max: new Date(2030, 0, 1), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.string({ maxLength: 5 }),
  ),
  { nil: undefined },
);

function objectOf(kind: KindRef): fc.Arbitrary<KubeObject> {
  return fc
    .record({
      name: fc.constantFrom("helloworld", "reviews", "gw", "default", "istio", "a"),
      namespace: fc.constantFrom("shop", "istio-system", "other"),
      labels,
      annotations: labels,
      creationTimestamp: timestamp,
      spec: fc.oneof(node, fc.dictionary(fc.constantFrom(...KEYS), node, { maxKeys: 8 })),
      status: fc.option(node, { nil: undefined }),
      data: fc.option(
        fc.record({
          mesh: fc.oneof(
            fc.string({ maxLength: 20 }),
            node.map((n) => JSON.stringify(n) ?? ""),
          ),
        }),
        { nil: undefined },
      ),
    })
    .map((r) => ({
      apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
      kind: kind.kind,
      metadata: {
        name: r.name,
        namespace: kind.namespaced ? r.namespace : undefined,
        labels: r.labels as Record<string, string>,
        annotations: r.annotations as Record<string, string>,
        creationTimestamp: r.creationTimestamp,
      },
      spec: r.spec,
      status: r.status,
      ...(r.data ? { data: r.data } : {}),
    }));
}

function kindsOf(def: CheckDefinition): readonly KindRef[] {
  return typeof def.kinds === "function" ? def.kinds(def.params.parse(def.example)) : def.kinds;
}

/**
 * Parameters for a check: random values (nearly always invalid), its example, or its example with
 * one key replaced by junk or dropped (often still valid), so valid parameters come up too.
 */
function paramsFor(def: CheckDefinition): fc.Arbitrary<unknown> {
  const example = def.example as Record<string, unknown>;
  return fc.oneof(
    node,
    fc.dictionary(fc.string({ maxLength: 6 }), node),
    fc.constant(example),
    fc
      .tuple(fc.constantFrom(...Object.keys(example)), fc.option(node, { nil: undefined }))
      .map(([key, value]) => ({ ...example, [key]: value })),
  );
}

// Correct-looking objects for the examples' names (namespace shop, host reviews, ...), to be broken at random.
const WORLD = parseManifests(
  `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio-injection: enabled } }
---
apiVersion: v1
kind: Service
metadata: { name: reviews }
spec: { selector: { app: reviews }, ports: [{ name: http, port: 9080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1 }
spec: { template: { metadata: { labels: { app: reviews, version: v1 } }, spec: { containers: [{ name: reviews }, { name: istio-proxy }] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: reviews-v1-x, labels: { app: reviews, version: v1 }, annotations: { prometheus.io/port: "15020" } }
spec: { containers: [{ name: reviews }, { name: istio-proxy }] }
status: { phase: Running }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews, bookinfo.example.com]
  gateways: [mesh, bookinfo-gateway]
  http:
  - match: [{ headers: { end-user: { exact: jason } }, uri: { prefix: /api } }]
    fault: { delay: { fixedDelay: 7s, percentage: { value: 100 } }, abort: { httpStatus: 500 } }
    delegate: { name: reviews-api }
  - route: [{ destination: { host: reviews, subset: v1 }, weight: 90, headers: { request: { set: { x: y } } } }, { destination: { host: reviews, subset: v2 }, weight: 10 }]
    mirror: { host: reviews, subset: v2 }
    mirrorPercentage: { value: 50 }
    retries: { attempts: 3, perTryTimeout: 2s, retryOn: 5xx }
    timeout: 5s
    corsPolicy: { allowOrigins: [{ exact: "https://example.com" }], allowMethods: [GET] }
    headers: { response: { remove: [x-powered-by] } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews-api }
spec:
  http: [{ match: [{ uri: { prefix: /api/v2 } }], route: [{ destination: { host: reviews, subset: v2 } }] }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN, localityLbSetting: { failover: [{ from: us-east, to: us-west }] } }
    connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } }
    outlierDetection: { consecutive5xxErrors: 1, interval: 1s }
    tls: { mode: SIMPLE }
  subsets: [{ name: v1, labels: { version: v1 }, trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: x-user } } } }, { name: v2, labels: { version: v2 } }]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: bookinfo-gateway }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 443, protocol: HTTPS }, hosts: [bookinfo.example.com], tls: { mode: SIMPLE, credentialName: bookinfo-cert } }]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: httpbin }
spec: { hosts: [httpbin.org], ports: [{ number: 443, protocol: TLS }], resolution: DNS }
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default }
spec: { egress: [{ hosts: ["./*", "istio-system/*"] }] }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default }
spec: { mtls: { mode: STRICT }, portLevelMtls: { 8080: { mode: DISABLE } } }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow }
spec: { rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/sleep"] } }], to: [{ operation: { methods: [GET], paths: ["/get"] } }], when: [{ key: request.headers[x], values: ["*"] }] }] }
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt }
spec: { jwtRules: [{ issuer: testing@secure.istio.io, jwksUri: "https://example.com" }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data: { mesh: "accessLogFile: /dev/stdout" }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: httpbin }
spec: { ingressClassName: istio, rules: [{ host: httpbin.example.com, http: { paths: [{ path: /status, backend: { service: { name: httpbin, port: { number: 8000 } } } }] } }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web }
spec: { parentRefs: [{ name: gateway }], rules: [{ matches: [{ path: { value: /x } }], backendRefs: [{ name: reviews-v1, weight: 9 }] }] }
`,
  "<world>",
  "shop",
).objects;

/** Replaces the value at one path of one object (both picked by index) with junk. */
function breakAt(objects: KubeObject[], [which, where, junk]: [number, number, unknown]): void {
  const target = objects[which % objects.length] as unknown as Record<string, unknown>;
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  // An API server guarantees apiVersion, kind, metadata.name and metadata.namespace; anything else may be junk.
  const fixed = new Set(["apiVersion", "kind", "metadata", "name", "namespace"]);
  const walk = (v: unknown, top: boolean): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        slots.push([v, i]);
        walk(x, false);
      });
    } else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        const guaranteed = (top && fixed.has(k)) || (v === target.metadata && fixed.has(k));
        if (!guaranteed) slots.push([v as Record<string, unknown>, k]);
        walk(x, false);
      }
    }
  };
  walk(target, true);
  const [parent, key] = slots[where % slots.length];
  (parent as Record<string | number, unknown>)[key] = junk;
}

describe.each([...builtinChecks.values()].map((d) => [d.name, d] as const))("%s", (name, def) => {
  it("never throws on random and malformed objects, and always says why", async () => {
    const kinds = kindsOf(def);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(...kinds.map(objectOf)), { maxLength: 6 }), async (objects) => {
        const [r] = await runChecks(new FileCluster(objects), [
          { id: name, use: name, with: def.example as Record<string, unknown> },
        ]);
        expect(r.message.trim(), JSON.stringify(objects)).not.toBe("");
        // An error here would mean the check threw on bad input.
        expect(r.status === "error" ? r.message : r.status).toMatch(/^(pass|fail|skipped)$/);
      }),
      { numRuns: 100 },
    );
  });
  it("never throws on correct objects broken at random", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.nat(), node), { minLength: 1, maxLength: 4 }), async (breaks) => {
        const objects = structuredClone(WORLD);
        for (const b of breaks) breakAt(objects, b);
        const [r] = await runChecks(new FileCluster(objects), [
          { id: name, use: name, with: def.example as Record<string, unknown> },
        ]);
        expect(r.message.trim()).not.toBe("");
        expect(r.status === "error" ? r.message : r.status).toMatch(/^(pass|fail|skipped)$/);
      }),
      { numRuns: 100 },
    );
  });
  it("never throws on random parameters: valid ones get a verdict, invalid ones an error", async () => {
    await fc.assert(
      fc.asyncProperty(paramsFor(def), async (params) => {
        const [r] = await runChecks(new FileCluster(structuredClone(WORLD)), [
          { id: name, use: name, with: params as Record<string, unknown> },
        ]);
        expect(r.message.trim()).not.toBe("");
        if (def.params.safeParse(params ?? {}).success) {
          // An error here means the check threw on parameters its own schema accepts.
          expect(r.status === "error" ? r.message : r.status).toMatch(/^(pass|fail|skipped)$/);
        } else {
          expect(r.status).toBe("error");
        }
      }),
      { numRuns: 30, examples: [[def.example]] },
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { apiGateway } from "../test-objects";

const services = ["web-v1", "web-v2"]
  .map(
    (n) =>
      `apiVersion: v1\nkind: Service\nmetadata: { name: ${n} }\nspec: { ports: [{ name: http, port: 80 }] }\n---\n`,
  )
  .join("");
const route = (rules: string, extra = "") => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web${extra} }
spec:
  parentRefs: [{ name: gateway }]
  hostnames: [web.example.com]
  rules:
${rules}
---
`;
const world = (rules: string) => apiGateway + services + route(rules);
const weighted = "  - backendRefs: [{ name: web-v1, port: 80, weight: 9 }, { name: web-v2, port: 80, weight: 1 }]";

describe("httproute.backends", () => {
  it("httproute.backends grades effective shares and specificity", async () => {
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "web-v1": 90, "web-v2": 10 } },
      world(weighted),
    );
    await expectPass(
      "httproute.backends",
      {
        namespace: "shop",
        parent: "shop/gateway",
        hostname: "web.example.com",
        expect: { "web-v1": 50, "web-v2": 50 },
      },
      world("  - backendRefs: [{ name: web-v1, port: 80 }, { name: web-v2, port: 80 }]"),
    );
    const byPath = world(
      `  - backendRefs: [{ name: web-v1, port: 80 }]\n  - matches: [{ path: { type: PathPrefix, value: /api } }]\n    backendRefs: [{ name: web-v2, port: 80 }]`,
    );
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", request: { path: "/api/x" }, expect: { "web-v2": 100 } },
      byPath,
    );
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", request: { path: "/apix" }, expect: { "web-v1": 100 } },
      byPath,
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "web-v1": 100 } },
      world(weighted),
      /web-v1 gets 90%, expected 100%/,
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "other", expect: { "web-v1": 100 } },
      world(weighted),
      /attached to Gateway shop\/other/,
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", hostname: "x.example.com", expect: { a: 1 } },
      world(weighted),
      /serves hostname x\.example\.com/,
    );
  });
  it("httproute.backends compares weights as proportions: 9:1, 90:10 and 900:100 are one answer; weight 0 gets nothing", async () => {
    const p = { namespace: "shop", parent: "gateway", expect: { "web-v1": 90, "web-v2": 10 } };
    await expectPass(
      "httproute.backends",
      p,
      world(weighted.replace("weight: 9", "weight: 90").replace("weight: 1 }", "weight: 10 }")),
    );
    await expectPass(
      "httproute.backends",
      p,
      world(weighted.replace("weight: 9", "weight: 900").replace("weight: 1 }", "weight: 100 }")),
    );
    await expectPass(
      "httproute.backends",
      { ...p, expect: { "web-v1": 100 } },
      world(weighted.replace("weight: 1 }", "weight: 0 }")),
    );
  });
  it("httproute.backends reads an expected ns/name in the route's namespace as the plain name", async () => {
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "shop/web-v1": 90, "web-v2": 10 } },
      world(weighted),
    );
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "shop/web-v1": 90, "shop/web-v2": 10 } },
      world(weighted.replace("{ name: web-v1,", "{ name: web-v1, namespace: shop,")),
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "other/web-v1": 90, "web-v2": 10 } },
      world(weighted),
      /other\/web-v1 gets 0%, expected 90%; web-v1 gets 90%, expected 0%/,
    );
  });
  it("httproute.backends: a Service backendRef without port is refused by the API server, so the route applies nowhere", async () => {
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "web-v1": 100 } },
      world("  - backendRefs: [{ name: web-v1 }]"),
      /the API server refuses HTTPRoute shop\/web: spec\.rules\[0\]\.backendRefs\[0\] \(web-v1\) has no port/,
    );
  });
  it("httproute.backends: a route attaches only where the Gateway and a listener take it", async () => {
    const p = { namespace: "shop", parent: "gateway", expect: { "web-v1": 90, "web-v2": 10 } };
    await expectFail(
      "httproute.backends",
      p,
      services + route(weighted),
      /no Gateway \(gateway\.networking\.k8s\.io\) shop\/gateway/,
    );
    const other = (from: string) =>
      apiGateway
        .replace("metadata: { name: gateway }", "metadata: { name: gateway, namespace: edge }")
        .replace("protocol: HTTP }", `protocol: HTTP, allowedRoutes: { namespaces: { from: ${from} } } }`) +
      services +
      route(weighted).replace("[{ name: gateway }]", "[{ name: gateway, namespace: edge }]");
    const q = { ...p, parent: "edge/gateway" };
    await expectFail(
      "httproute.backends",
      q,
      other("Same"),
      /allowedRoutes\.namespaces\.from Same does not admit routes from namespace shop/,
    );
    await expectPass("httproute.backends", q, other("All"));
    await expectFail(
      "httproute.backends",
      p,
      world(weighted).replace("[{ name: gateway }]", "[{ name: gateway, sectionName: https }]"),
      /parentRefs sectionName https names no listener/,
    );
    await expectFail(
      "httproute.backends",
      p,
      world(weighted).replace("protocol: HTTP }", "protocol: HTTP, hostname: api.example.com }"),
      /listener http hostname api\.example\.com and spec\.hostnames web\.example\.com do not intersect/,
    );
  });
  it("httproute.backends: a backend Service that does not exist, or lacks the port, fails its share", async () => {
    const p = { namespace: "shop", parent: "gateway", expect: { "web-v1": 90, "web-v2": 10 } };
    await expectFail(
      "httproute.backends",
      p,
      apiGateway + route(weighted),
      /spec\.rules\[0\]\.backendRefs\[0\] names Service shop\/web-v1, which does not exist/,
    );
    await expectFail(
      "httproute.backends",
      p,
      world(weighted.replace("port: 80, weight: 1", "port: 8080, weight: 1")),
      /backendRefs\[1\] port 8080 is not a port of Service shop\/web-v2/,
    );
  });
});

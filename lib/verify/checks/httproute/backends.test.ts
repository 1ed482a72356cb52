import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { apiGateway } from "../test-objects";

const route = (rules: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web }
spec:
  parentRefs: [{ name: gateway }]
  hostnames: [web.example.com]
  rules:
${rules}
---
`;
const weighted = "  - backendRefs: [{ name: web-v1, port: 80, weight: 9 }, { name: web-v2, port: 80, weight: 1 }]";

describe("httproute.backends", () => {
  it("httproute.backends grades effective shares and specificity", async () => {
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "web-v1": 90, "web-v2": 10 } },
      apiGateway + route(weighted),
    );
    await expectPass(
      "httproute.backends",
      {
        namespace: "shop",
        parent: "shop/gateway",
        hostname: "web.example.com",
        expect: { "web-v1": 50, "web-v2": 50 },
      },
      route("  - backendRefs: [{ name: web-v1 }, { name: web-v2 }]"),
    );
    const byPath = route(
      `  - backendRefs: [{ name: web-v1 }]\n  - matches: [{ path: { type: PathPrefix, value: /api } }]\n    backendRefs: [{ name: web-v2 }]`,
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
      route(weighted),
      /web-v1 gets 90%, expected 100%/,
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "other", expect: { "web-v1": 100 } },
      route(weighted),
      /attached to Gateway shop\/other/,
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", hostname: "x.example.com", expect: { a: 1 } },
      route(weighted),
      /serves hostname x\.example\.com/,
    );
  });
  it("httproute.backends reads an expected ns/name in the route's namespace as the plain name", async () => {
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "shop/web-v1": 90, "web-v2": 10 } },
      route(weighted),
    );
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "shop/web-v1": 90, "shop/web-v2": 10 } },
      route(weighted.replace("{ name: web-v1,", "{ name: web-v1, namespace: shop,")),
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "other/web-v1": 90, "web-v2": 10 } },
      route(weighted),
      /other\/web-v1 gets 0%, expected 90%; web-v1 gets 90%, expected 0%/,
    );
  });
});

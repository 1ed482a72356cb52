import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { boundToGw, gatewayGw, ingressGatewayPod, serveV1, target, toV2, vs, world } from "./test-world";

const ROUTES = "virtualservice.routes";
const split = (a: number | string, b: number | string) =>
  vs(
    `  - route:\n    - destination: { host: helloworld, subset: v1 }\n      weight: ${a}\n    - destination: { host: helloworld, subset: v2 }\n      weight: ${b}`,
  );

describe("virtualservice.routes", () => {
  it("accepts weights as proportions: 90/10, 9/1, any order", async () => {
    await expectPass(ROUTES, { ...target, expect: { v1: 90, v2: 10 } }, world(split(90, 10)));
    await expectPass(ROUTES, { ...target, expect: { v1: 90, v2: 10 } }, world(split(9, 1)));
    await expectPass(ROUTES, { ...target, expect: { v2: 10, v1: 90 } }, world(split(9, 1)));
    await expectPass(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 } },
      world(
        vs(
          "  - route:\n    - destination: { host: helloworld, subset: v2 }\n      weight: 1\n    - destination: { host: helloworld, subset: v1 }\n      weight: 9",
        ),
      ),
    );
  });
  it("accepts one destination without weight as 100%, and FQDN or short hosts alike", async () => {
    await expectPass(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(vs("  - route: [{ destination: { host: helloworld, subset: v1 } }]")),
    );
    await expectPass(
      ROUTES,
      { host: "helloworld.shop.svc.cluster.local", namespace: "shop", expect: { v1: 100 } },
      world(
        vs(
          "  - route: [{ destination: { host: helloworld.shop.svc.cluster.local, subset: v1 }, weight: 100 }]",
        ).replace("hosts: [helloworld]", "hosts: [helloworld.shop.svc.cluster.local]"),
      ),
    );
  });
  it("accepts a zero-weight destination as getting nothing", async () => {
    await expectPass(ROUTES, { ...target, expect: { v1: 100 } }, world(split(100, 0)));
    await expectPass(ROUTES, { ...target, expect: { v1: 100, v2: 0 } }, world(split(100, 0)));
  });
  it("rejects wrong shares, naming the object and the field", async () => {
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 } },
      world(split(50, 50)),
      /VirtualService shop\/helloworld spec\.http\[0\]\.route/,
      /v1 gets 50%, expected 90%/,
    );
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(split(90, 10)),
      /subset v2 gets 10%, expected 0%/,
    );
  });
  it("rejects weights Istio rejects", async () => {
    await expectFail(ROUTES, { ...target, expect: { v1: 50, v2: 50 } }, world(split(0, 0)), /add up to 0/);
  });
  it("fails clearly when no VirtualService applies", async () => {
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(""),
      /no VirtualService for host "helloworld" \(helloworld\.shop\.svc\.cluster\.local\)/,
    );
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(
        vs("  - route: [{ destination: { host: helloworld, subset: v1 } }]").replace(
          "hosts: [helloworld]",
          "hosts: [helloworld.shop]",
        ),
      ),
      /"helloworld\.shop", which Istio takes as written/,
    );
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(vs("  - route: [{ destination: { host: helloworld, subset: v1 } }]", "  gateways: [gw]\n")),
      /spec\.gateways is \["shop\/gw"\]/,
    );
    await expectFail(
      ROUTES,
      { ...target, fromNamespace: "other", expect: { v1: 100 } },
      world(vs("  - route: [{ destination: { host: helloworld, subset: v1 } }]", '  exportTo: ["."]\n')),
      /not exported to namespace other/,
    );
  });
  it("grades the rule a sample request hits, so any equivalent match passes", async () => {
    const byHeader = (match: string) =>
      world(
        vs(
          `  - match: [{ headers: { end-user: ${match} } }]\n    route: [{ destination: { host: helloworld, subset: v2 } }]\n  - route: [{ destination: { host: helloworld, subset: v1 } }]`,
        ),
      );
    for (const m of ["{ exact: jason }", "{ prefix: jas }", '{ regex: "j.*n" }']) {
      await expectPass(
        ROUTES,
        { ...target, request: { headers: { "end-user": "jason" } }, expect: { v2: 100 } },
        byHeader(m),
      );
      await expectPass(
        ROUTES,
        { ...target, request: { headers: { "end-user": "bob" } }, expect: { v1: 100 } },
        byHeader(m),
      );
    }
    await expectFail(
      ROUTES,
      { ...target, request: { headers: { "end-user": "jason" } }, expect: { v2: 100 } },
      byHeader("{ exact: bob }"),
      /v2 gets 0%/,
    );
  });
  it("uses the oldest VirtualService for a host and says the other is ignored", async () => {
    const older = vs("  - route: [{ destination: { host: helloworld, subset: v1 } }]", "", "a-older");
    const newer = vs("  - route: [{ destination: { host: helloworld, subset: v2 } }]", "", "b-newer");
    await expectPass(ROUTES, { ...target, expect: { v1: 100 } }, world(older + newer));
    await expectFail(
      ROUTES,
      { ...target, expect: { v2: 100 } },
      world(older + newer),
      /Istio uses VirtualService shop\/a-older and ignores VirtualService shop\/b-newer/,
    );
  });
  it("follows delegates", async () => {
    const root = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: root }
spec:
  hosts: [helloworld]
  http:
  - delegate: { name: leaf }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: leaf }
spec:
  http:
  - route: [{ destination: { host: helloworld, subset: v1 }, weight: 3 }, { destination: { host: helloworld, subset: v2 }, weight: 1 }]
---
`;
    await expectPass(ROUTES, { ...target, expect: { v1: 75, v2: 25 } }, world(root));
  });
  it("grades TCP routes of a VirtualService without HTTP rules, and keys that name hosts", async () => {
    const tcp = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: tcp-echo }
spec:
  hosts: [tcp-echo]
  tcp:
  - match: [{ port: 31400 }]
    route: [{ destination: { host: tcp-echo, subset: v1 }, weight: 80 }, { destination: { host: tcp-echo, subset: v2 }, weight: 20 }]
---
`;
    await expectPass(
      ROUTES,
      { host: "tcp-echo", namespace: "shop", request: { port: 31400 }, expect: { v1: 80, v2: 20 } },
      tcp,
    );
    await expectFail(
      ROUTES,
      { host: "tcp-echo", namespace: "shop", request: { port: 9000 }, expect: { v1: 100 } },
      tcp,
      /no rule of VirtualService shop\/tcp-echo matches/,
    );
    await expectPass(
      ROUTES,
      { ...target, expect: { helloworld: 100 } },
      world(vs("  - route: [{ destination: { host: helloworld } }]")),
    );
    await expectPass(ROUTES, { ...target, expect: { "helloworld/v1": 100 } }, world(vs(serveV1)));
  });
  it("rejects a rule that redirects instead of routing", async () => {
    await expectFail(ROUTES, { ...target, expect: { v1: 100 } }, world(vs("  - redirect: { uri: /x }")), /redirect/);
  });
  it("routes through a gateway", async () => {
    const gwVs = vs(
      `  - match: [{ gateways: [gw] }]\n    route: [{ destination: { host: helloworld, subset: v2 } }]\n${serveV1}`,
      "  gateways: [gw, mesh]\n",
    );
    // The Gateway exists and its server takes every host: without it the gateway routes nothing.
    await expectPass(ROUTES, { ...target, gateway: "gw", expect: { v2: 100 } }, world(gatewayGw + gwVs));
    await expectPass(ROUTES, { ...target, expect: { v1: 100 } }, world(gwVs));
  });
});

describe("virtualservice.routes: Istio's validation and gateway semantics", () => {
  it("exportTo: a list with ~ is rejected by Istio's validation, so the object applies nowhere", async () => {
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(vs(serveV1, '  exportTo: ["~", "."]\n')),
      /VirtualService shop\/helloworld names the host but Istio rejects it: spec\.exportTo \["~","\."\]/,
    );
  });

  it('header regex "*" is invalid RE2: Istio rejects the VirtualService; in withoutHeaders it means "header present"', async () => {
    await expectFail(
      ROUTES,
      { ...target, request: { headers: { "end-user": "jason" } }, expect: { v2: 100 } },
      world(vs(`  - match: [{ headers: { end-user: { regex: "*" } } }]\n${toV2}${serveV1}`)),
      /Istio rejects it: spec\.http\[0\]\.match\[0\]\.headers\.end-user\.regex "\*" is not a valid RE2 regular expression/,
    );
    const without = world(vs(`  - match: [{ withoutHeaders: { end-user: { regex: "*" } } }]\n${toV2}${serveV1}`));
    await expectPass(ROUTES, { ...target, expect: { v2: 100 } }, without);
    await expectPass(
      ROUTES,
      { ...target, request: { headers: { "end-user": "jason" } }, expect: { v1: 100 } },
      without,
    );
    // Any other withoutHeaders matcher treats a missing header as empty: ".*" then excludes every request.
    await expectPass(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(vs(`  - match: [{ withoutHeaders: { end-user: { regex: ".*" } } }]\n${toV2}${serveV1}`)),
    );
  });

  it("a gateway merges the rules of every VirtualService bound to it and tries catch-all routes last", async () => {
    const both = world(gatewayGw + boundToGw.a() + boundToGw.b("{ uri: { prefix: /api } }"));
    const gt = { host: "hello.example.com", namespace: "shop", gateway: "gw" };
    await expectPass(ROUTES, { ...gt, request: { path: "/api/x" }, expect: { "helloworld/v2": 100 } }, both);
    await expectPass(ROUTES, { ...gt, request: { path: "/web" }, expect: { "helloworld/v1": 100 } }, both);
  });

  it("through a gateway, exportTo is read for the gateway workload's namespace", async () => {
    const bound = (exportTo: string) =>
      vs(serveV1, `  gateways: [gw]\n  exportTo: ${exportTo}\n`).replace(
        "hosts: [helloworld]",
        'hosts: ["hello.example.com"]',
      );
    const gt = { host: "hello.example.com", namespace: "shop", gateway: "gw", expect: { "helloworld/v1": 100 } };
    await expectFail(
      ROUTES,
      gt,
      world(gatewayGw + ingressGatewayPod + bound('["."]')),
      /not exported to namespace istio-system/,
    );
    await expectPass(ROUTES, gt, world(gatewayGw + ingressGatewayPod + bound('["istio-system"]')));
    await expectPass(ROUTES, gt, world(gatewayGw + ingressGatewayPod + bound('["*"]')));
    // No gateway workload in the snapshot: the Gateway's own namespace stands in for it.
    await expectPass(ROUTES, gt, world(gatewayGw + bound('["."]')));
  });

  it("through a gateway, only hosts a server of the Gateway accepts from the VirtualService's namespace are routed", async () => {
    const gatewayFor = (hosts: string) => gatewayGw.replace('hosts: ["*"]', `hosts: ${hosts}`);
    const bound = vs(serveV1, "  gateways: [gw]\n").replace("hosts: [helloworld]", 'hosts: ["hello.example.com"]');
    const gt = { host: "hello.example.com", namespace: "shop", gateway: "gw", expect: { "helloworld/v1": 100 } };
    // The server still takes another name: the gateway has no route for hello.example.com (IST0132, 404).
    await expectFail(
      ROUTES,
      gt,
      world(gatewayFor('["hello.example.net"]') + bound),
      /no server of Gateway shop\/gw accepts hello\.example\.com \(its hosts are "hello\.example\.net"\)/,
    );
    // `ns/host` lets only VirtualServices of ns bind to the host.
    await expectFail(
      ROUTES,
      gt,
      world(gatewayFor('["istio-system/hello.example.com"]') + bound),
      /no server of Gateway shop\/gw accepts hello\.example\.com from namespace shop/,
    );
    for (const hosts of [
      '["hello.example.com"]',
      '["*.example.com"]',
      '["./hello.example.com"]',
      '["shop/hello.example.com"]',
      '["*/hello.example.com"]',
      '["hello.example.net", "hello.example.com"]',
    ])
      await expectPass(ROUTES, gt, world(gatewayFor(hosts) + bound));
    // A VirtualService bound to a Gateway that does not exist routes nothing.
    await expectFail(ROUTES, gt, world(bound), /Gateway shop\/gw does not exist/);
  });
});

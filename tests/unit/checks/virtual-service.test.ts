import { describe, it } from "vitest";
import { expectFail, expectPass, helloworld } from "./harness";

const DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: helloworld }
spec:
  host: helloworld
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
`;
const world = (vs: string) => `${helloworld()}${DR}${vs}`;
const vs = (http: string, extra = "", name = "helloworld") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name} }
spec:
  hosts: [helloworld]
${extra}  http:
${http}
---
`;
const split = (a: number | string, b: number | string) =>
  vs(
    `  - route:\n    - destination: { host: helloworld, subset: v1 }\n      weight: ${a}\n    - destination: { host: helloworld, subset: v2 }\n      weight: ${b}`,
  );
const ROUTES = "virtualservice.routes";
const target = { host: "helloworld", namespace: "shop" };

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
});

const MIRROR = "virtualservice.mirror";
const serveV1 = "  - route: [{ destination: { host: helloworld, subset: v1 } }]\n";

describe("virtualservice.mirror", () => {
  it("accepts mirror + mirrorPercentage, mirrors[], 50 vs 50.0, FQDN mirror hosts, the old mirrorPercent", async () => {
    const p = { ...target, subset: "v2", percent: 50 };
    await expectPass(
      MIRROR,
      p,
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: { value: 50 }`)),
    );
    await expectPass(
      MIRROR,
      p,
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: { value: 50.0 }`)),
    );
    await expectPass(
      MIRROR,
      p,
      world(
        vs(
          `${serveV1}    mirrors: [{ destination: { host: helloworld.shop.svc.cluster.local, subset: v2 }, percentage: { value: 50 } }]`,
        ),
      ),
    );
    await expectPass(
      MIRROR,
      p,
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercent: 50`)),
    );
    await expectPass(
      MIRROR,
      { ...p, percent: "50" },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: { value: 50 }`)),
    );
  });
  it("reads a missing percentage as 100%", async () => {
    await expectPass(
      MIRROR,
      { ...target, subset: "v2", percent: 100 },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }`)),
    );
    await expectFail(
      MIRROR,
      { ...target, subset: "v2", percent: 50 },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }`)),
      /mirrorPercentage is unset \(mirrors 100%\), expected 50/,
    );
  });
  it("rejects the wrong subset, naming the field", async () => {
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v1 }`)),
      /spec\.http\[0\]\.mirror\.subset is "v1", expected "v2"/,
    );
  });
  it("rejects both mirror and mirrors, and no mirror at all", async () => {
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(
        vs(
          `${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrors: [{ destination: { host: helloworld, subset: v2 } }]`,
        ),
      ),
      /both mirror and mirrors/,
    );
    await expectFail(MIRROR, { ...target, subset: "v2" }, world(vs(serveV1)), /has no mirror/);
  });
  it("rejects a zero percentage", async () => {
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: { value: 0 }`)),
      /nothing is mirrored/,
    );
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: {}`)),
      /mirrorPercentage\.value is 0: nothing is mirrored/,
    );
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(vs(`${serveV1}    mirrors: [{ destination: { host: helloworld, subset: v2 }, percentage: {} }]`)),
      /mirrors\[0\]\.percentage\.value is 0: nothing is mirrored/,
    );
  });
});

describe("virtualservice.retries and timeout", () => {
  const withRetries = (r: string) => world(vs(`${serveV1}    retries: ${r}`));
  it("accepts equivalent values", async () => {
    await expectPass(
      "virtualservice.retries",
      { ...target, attempts: 3, perTryTimeout: "2s", retryOn: "5xx" },
      withRetries('{ attempts: 3, perTryTimeout: 2000ms, retryOn: "connect-failure,5xx" }'),
    );
    await expectPass(
      "virtualservice.retries",
      { ...target, retryOn: ["5xx", "gateway-error"] },
      withRetries('{ attempts: 3, retryOn: "gateway-error,5xx" }'),
    );
    await expectPass("virtualservice.timeout", { ...target, timeout: "5s" }, world(vs(`${serveV1}    timeout: 5.0s`)));
    await expectPass(
      "virtualservice.timeout",
      { ...target, timeout: "5s" },
      world(vs(`${serveV1}    timeout: 5000ms`)),
    );
  });
  it("rejects wrong or missing values", async () => {
    await expectFail(
      "virtualservice.retries",
      { ...target, attempts: 3 },
      withRetries("{ attempts: 2 }"),
      /retries: attempts is 2, expected 3/,
    );
    await expectFail(
      "virtualservice.retries",
      { ...target, attempts: 3 },
      world(vs(serveV1)),
      /retries is unset \(Istio's default: 2 attempts/,
    );
    await expectFail(
      "virtualservice.retries",
      { ...target, retryOn: "5xx" },
      withRetries('{ attempts: 3, retryOn: "connect-failure" }'),
      /missing 5xx/,
    );
    await expectFail(
      "virtualservice.timeout",
      { ...target, timeout: "5s" },
      world(vs(`${serveV1}    timeout: 10s`)),
      /timeout is "10s", expected 5s/,
    );
    await expectFail("virtualservice.timeout", { ...target, timeout: "5s" }, world(vs(serveV1)), /unset/);
  });
  it("reads retries as Istio does: no attempts disables them, no retryOn takes Istio's default conditions", async () => {
    await expectPass(
      "virtualservice.retries",
      { ...target, attempts: 3, retryOn: "connect-failure,refused-stream" },
      withRetries("{ attempts: 3 }"),
    );
    await expectPass("virtualservice.retries", { ...target, attempts: 0 }, withRetries("{ retryOn: 5xx }"));
    await expectFail(
      "virtualservice.retries",
      { ...target, retryOn: "5xx", perTryTimeout: "2s" },
      withRetries("{ retryOn: 5xx, perTryTimeout: 2s }"),
      /retries\.attempts is unset, so Istio disables retries/,
    );
    await expectFail(
      "virtualservice.retries",
      { ...target, retryOn: "5xx" },
      withRetries("{ attempts: 0, retryOn: 5xx }"),
      /retries\.attempts is 0, so Istio disables retries/,
    );
  });
  it("reads an unset timeout as 0s (no timeout)", async () => {
    await expectPass("virtualservice.timeout", { ...target, timeout: "0s" }, world(vs(serveV1)));
    await expectPass("virtualservice.timeout", { ...target, timeout: "0s" }, world(vs(`${serveV1}    timeout: 0.0s`)));
  });
});

describe("virtualservice.fault", () => {
  const jason = { headers: { "end-user": "jason" } };
  const scoped = (fault: string) =>
    world(
      vs(
        `  - match: [{ headers: { end-user: { exact: jason } } }]\n    fault: ${fault}\n    route: [{ destination: { host: helloworld, subset: v1 } }]\n${serveV1}`,
      ),
    );
  it("accepts a delay or abort with its percentage, scoped to one user", async () => {
    const delay = "{ delay: { fixedDelay: 7s, percentage: { value: 100 } } }";
    await expectPass(
      "virtualservice.fault",
      {
        ...target,
        request: jason,
        delay: { fixedDelay: "7000ms", percent: 100 },
        unaffectedRequest: { headers: { "end-user": "bob" } },
      },
      scoped(delay),
    );
    await expectPass(
      "virtualservice.fault",
      { ...target, request: jason, abort: { httpStatus: 500, percent: 10 } },
      scoped("{ abort: { httpStatus: 500, percentage: { value: 10.0 } } }"),
    );
  });
  it("rejects a missing percentage (Istio then injects nothing), a wrong status, and a fault on everyone", async () => {
    await expectFail(
      "virtualservice.fault",
      { ...target, request: jason, delay: { fixedDelay: "7s" } },
      scoped("{ delay: { fixedDelay: 7s } }"),
      /percentage is unset \(Istio then injects into no request\)/,
    );
    await expectFail(
      "virtualservice.fault",
      { ...target, request: jason, abort: { httpStatus: 500 } },
      scoped("{ abort: { httpStatus: 503, percentage: { value: 100 } } }"),
      /httpStatus is 503, expected 500/,
    );
    await expectFail(
      "virtualservice.fault",
      { ...target, request: jason, delay: { percent: 100 }, unaffectedRequest: {} },
      world(
        vs(
          `  - fault: { delay: { fixedDelay: 7s, percentage: { value: 100 } } }\n    route: [{ destination: { host: helloworld, subset: v1 } }]`,
        ),
      ),
      /should be spared/,
    );
  });
});

describe("virtualservice.cors and headers", () => {
  it("accepts equivalent CORS policies", async () => {
    const cors = world(
      vs(
        `${serveV1}    corsPolicy: { allowOrigins: [{ regex: "https://.*\\\\.example\\\\.com" }], allowMethods: [get, POST], maxAge: 86400s, allowCredentials: true }`,
      ),
    );
    await expectPass(
      "virtualservice.cors",
      {
        ...target,
        allowOrigins: ["https://app.example.com"],
        allowMethods: ["GET"],
        maxAge: "24h",
        allowCredentials: true,
      },
      cors,
    );
    await expectFail(
      "virtualservice.cors",
      { ...target, allowOrigins: ["https://evil.com"] },
      cors,
      /origin https:\/\/evil\.com is not allowed/,
    );
    await expectFail(
      "virtualservice.cors",
      { ...target, allowMethods: ["DELETE"] },
      cors,
      /allowMethods .* lacks DELETE/,
    );
  });
  it("accepts an origin matcher that matches * as allowing every origin, as Envoy does", async () => {
    for (const m of ['{ exact: "*" }', '{ prefix: "*" }']) {
      await expectPass(
        "virtualservice.cors",
        { ...target, allowOrigins: ["https://app.example.com"] },
        world(vs(`${serveV1}    corsPolicy: { allowOrigins: [${m}] }`)),
      );
    }
  });
  it("accepts headers set or added, at rule or destination level", async () => {
    const p = {
      ...target,
      requestHeaders: { set: { "X-Team": "blue" } },
      responseHeaders: { remove: ["x-powered-by"] },
    };
    await expectPass(
      "virtualservice.headers",
      p,
      world(vs(`${serveV1}    headers: { request: { set: { x-team: blue } }, response: { remove: [X-Powered-By] } }`)),
    );
    await expectPass(
      "virtualservice.headers",
      p,
      world(
        vs(
          "  - route: [{ destination: { host: helloworld, subset: v1 }, headers: { request: { add: { x-team: blue } }, response: { remove: [x-powered-by] } } }]",
        ),
      ),
    );
    await expectFail(
      "virtualservice.headers",
      p,
      world(vs(serveV1)),
      /request header X-Team: blue is not set/,
      /response header x-powered-by is not removed/,
    );
  });
});

describe("virtualservice structure checks", () => {
  it("exists", async () => {
    await expectPass("virtualservice.exists", { namespace: "shop", host: "helloworld" }, world(vs(serveV1)));
    await expectFail(
      "virtualservice.exists",
      { namespace: "shop", name: "other" },
      world(vs(serveV1)),
      /no VirtualService named other in namespace shop/,
    );
    await expectFail(
      "virtualservice.exists",
      { namespace: "shop", gateways: ["gw"] },
      world(vs(serveV1)),
      /not to shop\/gw/,
    );
  });
  it("unique-host", async () => {
    await expectPass("virtualservice.unique-host", target, world(vs(serveV1)));
    await expectFail(
      "virtualservice.unique-host",
      target,
      world(vs(serveV1, "", "a") + vs(serveV1, "", "b")),
      /2 VirtualServices name host .* Istio uses VirtualService shop\/a and ignores VirtualService shop\/b/,
    );
  });
  it("catch-all-last", async () => {
    const ordered = `  - match: [{ uri: { prefix: /api } }]\n    route: [{ destination: { host: helloworld, subset: v2 } }]\n${serveV1}`;
    await expectPass("virtualservice.catch-all-last", target, world(vs(ordered)));
    const wrong = `${serveV1}  - match: [{ uri: { prefix: /api } }]\n    route: [{ destination: { host: helloworld, subset: v2 } }]`;
    await expectFail(
      "virtualservice.catch-all-last",
      target,
      world(vs(wrong)),
      /spec\.http\[0\] matches every request, so .*spec\.http\[1\] never apply/,
    );
    const dup = `  - match: [{ uri: { prefix: /api } }]\n    route: [{ destination: { host: helloworld, subset: v2 } }]\n  - match: [{ uri: { prefix: /api } }]\n    route: [{ destination: { host: helloworld, subset: v1 } }]\n${serveV1}`;
    await expectFail("virtualservice.catch-all-last", target, world(vs(dup)), /IST0130/);
    await expectFail(
      "virtualservice.catch-all-last",
      target,
      world(vs("  - match: [{ uri: { prefix: /api } }]\n    route: [{ destination: { host: helloworld } }]")),
      /no catch-all/,
    );
  });
  it("subsets-defined", async () => {
    await expectPass(
      "virtualservice.subsets-defined",
      target,
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }`)),
    );
    await expectFail(
      "virtualservice.subsets-defined",
      target,
      world(vs("  - route: [{ destination: { host: helloworld, subset: v3 } }]")),
      /uses subset v3, which DestinationRule shop\/helloworld does not define \(it has v1 and v2\)/,
    );
  });
  it("delegate", async () => {
    const tree = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: root }
spec:
  hosts: [helloworld]
  http:
  - match: [{ uri: { prefix: /api } }]
    delegate: { name: api }
  - route: [{ destination: { host: helloworld, subset: v1 } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api }
spec:
  http:
  - match: [{ uri: { prefix: /api/v2 } }]
    route: [{ destination: { host: helloworld, subset: v2 } }]
---
`;
    await expectPass("virtualservice.delegate", { ...target, delegates: [{ name: "api" }] }, world(tree));
    await expectFail(
      "virtualservice.delegate",
      target,
      world(tree.replace("prefix: /api/v2", "prefix: /web")),
      /conflicts with the root's match/,
    );
    await expectFail(
      "virtualservice.delegate",
      { ...target, delegates: [{ name: "other" }] },
      world(tree),
      /does not delegate to shop\/other/,
    );
    await expectFail("virtualservice.delegate", target, world(vs(serveV1)), /has no rule with `delegate`/);
  });
  it("gateway binding", async () => {
    const gw = (hosts: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ${hosts} }]
---
`;
    const bound = vs(serveV1, "  gateways: [gw]\n").replace("hosts: [helloworld]", 'hosts: ["hello.example.com"]');
    await expectPass(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "gw" },
      world(gw('["*.example.com"]') + bound),
    );
    await expectPass(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "shop/gw", host: "hello.example.com" },
      world(gw('["shop/hello.example.com"]') + bound),
    );
    await expectFail(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "gw" },
      world(gw('["other.example.com"]') + bound),
      /IST0132/,
    );
    await expectFail(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "gw" },
      world(gw('["other-ns/hello.example.com"]') + bound),
      /IST0132/,
    );
    await expectFail(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "gw", mesh: true },
      world(gw('["*"]') + bound),
      /lacks "mesh"/,
    );
    await expectFail(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "missing" },
      world(bound),
      /Gateway shop\/missing not found/,
    );
  });
  it("routes through a gateway", async () => {
    const gwVs = vs(
      `  - match: [{ gateways: [gw] }]\n    route: [{ destination: { host: helloworld, subset: v2 } }]\n${serveV1}`,
      "  gateways: [gw, mesh]\n",
    );
    await expectPass(ROUTES, { ...target, gateway: "gw", expect: { v2: 100 } }, world(gwVs));
    await expectPass(ROUTES, { ...target, expect: { v1: 100 } }, world(gwVs));
  });
});

describe("Istio's validation and gateway semantics", () => {
  const gwObj = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
---
`;
  const ingressPod =
    "apiVersion: v1\nkind: Pod\nmetadata: { name: igw, namespace: istio-system, labels: { istio: ingressgateway } }\nspec: { containers: [{ name: istio-proxy }] }\n---\n";
  const toV2 = "    route: [{ destination: { host: helloworld, subset: v2 } }]\n";

  it("exportTo: a list with ~ is rejected by Istio's validation, so the object applies nowhere", async () => {
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(vs(serveV1, '  exportTo: ["~", "."]\n')),
      /VirtualService shop\/helloworld names the host but Istio rejects it: spec\.exportTo \["~","\."\]/,
    );
    await expectFail(
      "destinationrule.load-balancer",
      { ...target, simple: "ROUND_ROBIN" },
      world("").replace(
        "  host: helloworld\n",
        '  host: helloworld\n  exportTo: ["~", "shop"]\n  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }\n',
      ),
      /no DestinationRule for host/,
    );
    const se = (exportTo: string) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ext }
spec:
  hosts: [api.example.com]
  exportTo: ${exportTo}
  ports: [{ number: 443, name: https, protocol: TLS }]
  resolution: DNS
---
`;
    await expectFail(
      "serviceentry.host",
      { namespace: "shop", host: "api.example.com", visibleTo: "shop" },
      se('["~", "shop"]'),
      /exportTo \["~","shop"\]/,
    );
    await expectFail(
      "serviceentry.host",
      { namespace: "shop", host: "api.example.com", visibleTo: "shop" },
      se('["~"]'),
      /hides it from namespace shop/,
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
    const a = vs(serveV1, '  gateways: [gw]\n  hosts: ["*"]\n', "a")
      .replace("  hosts: [helloworld]\n", "")
      .replace("metadata: { name: a }", 'metadata: { name: a, creationTimestamp: "2024-01-01T00:00:00Z" }');
    const b = (match: string) =>
      vs(`  - match: [${match}]\n${toV2}`, '  gateways: [gw]\n  hosts: ["*"]\n', "b")
        .replace("  hosts: [helloworld]\n", "")
        .replace("metadata: { name: b }", 'metadata: { name: b, creationTimestamp: "2024-02-01T00:00:00Z" }');
    const both = world(gwObj + a + b("{ uri: { prefix: /api } }"));
    const gt = { host: "hello.example.com", namespace: "shop", gateway: "gw" };
    await expectPass(ROUTES, { ...gt, request: { path: "/api/x" }, expect: { "helloworld/v2": 100 } }, both);
    await expectPass(ROUTES, { ...gt, request: { path: "/web" }, expect: { "helloworld/v1": 100 } }, both);
    await expectPass("virtualservice.catch-all-last", gt, both);
    await expectFail(
      "virtualservice.catch-all-last",
      gt,
      world(gwObj + a + b("{ uri: { prefix: / } }")),
      /VirtualService shop\/a spec\.http\[0\] matches every request, so VirtualService shop\/b spec\.http\[0\] never applies/,
    );
    const twice = world(
      gwObj +
        vs(`  - match: [{ uri: { prefix: /api } }]\n${toV2}${serveV1}`, '  gateways: [gw]\n  hosts: ["*"]\n', "a")
          .replace("  hosts: [helloworld]\n", "")
          .replace("metadata: { name: a }", 'metadata: { name: a, creationTimestamp: "2024-01-01T00:00:00Z" }') +
        b("{ uri: { prefix: /api } }"),
    );
    await expectFail(
      "virtualservice.catch-all-last",
      gt,
      twice,
      /shop\/b spec\.http\[0\] repeats the match of .*shop\/a spec\.http\[0\].*IST0130/,
    );
  });

  it("through a gateway, exportTo is read for the gateway workload's namespace", async () => {
    const bound = (exportTo: string) =>
      vs(serveV1, `  gateways: [gw]\n  exportTo: ${exportTo}\n`).replace(
        "hosts: [helloworld]",
        'hosts: ["hello.example.com"]',
      );
    const gt = { host: "hello.example.com", namespace: "shop", gateway: "gw", expect: { "helloworld/v1": 100 } };
    await expectFail(ROUTES, gt, world(gwObj + ingressPod + bound('["."]')), /not exported to namespace istio-system/);
    await expectPass(ROUTES, gt, world(gwObj + ingressPod + bound('["istio-system"]')));
    await expectPass(ROUTES, gt, world(gwObj + ingressPod + bound('["*"]')));
    // No gateway workload in the snapshot: the Gateway's own namespace stands in for it.
    await expectPass(ROUTES, gt, world(gwObj + bound('["."]')));
  });
});

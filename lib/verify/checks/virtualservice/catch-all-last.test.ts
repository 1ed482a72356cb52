import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { boundToGw, gatewayGw, serveV1, target, toV2, vs, world } from "./test-world";

describe("virtualservice.catch-all-last", () => {
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

  it("a gateway merges the rules of every VirtualService bound to it and tries catch-all routes last", async () => {
    const gt = { host: "hello.example.com", namespace: "shop", gateway: "gw" };
    await expectPass(
      "virtualservice.catch-all-last",
      gt,
      world(gatewayGw + boundToGw.a() + boundToGw.b("{ uri: { prefix: /api } }")),
    );
    await expectFail(
      "virtualservice.catch-all-last",
      gt,
      world(gatewayGw + boundToGw.a() + boundToGw.b("{ uri: { prefix: / } }")),
      /VirtualService shop\/a spec\.http\[0\] matches every request, so VirtualService shop\/b spec\.http\[0\] never applies/,
    );
    const twice = world(
      gatewayGw +
        boundToGw.a(`  - match: [{ uri: { prefix: /api } }]\n${toV2}${serveV1}`) +
        boundToGw.b("{ uri: { prefix: /api } }"),
    );
    await expectFail(
      "virtualservice.catch-all-last",
      gt,
      twice,
      /shop\/b spec\.http\[0\] repeats the match of .*shop\/a spec\.http\[0\].*IST0130/,
    );
  });
});

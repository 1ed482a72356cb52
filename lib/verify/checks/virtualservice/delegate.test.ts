import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

describe("virtualservice.delegate", () => {
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
});

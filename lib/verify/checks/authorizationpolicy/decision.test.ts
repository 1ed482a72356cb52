import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { ap } from "./test-world";

describe("authorizationpolicy.decision", () => {
  it("decision grades what the policies do, however they are written", async () => {
    const request = { principal: "cluster.local/ns/shop/sa/sleep", method: "GET", path: "/get" };
    const p = { namespace: "shop", workloadLabels: { app: "httpbin" }, request };
    const viaPrincipal =
      ap("deny", "{}") +
      ap(
        "allow",
        '{ rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/sleep"] } }], to: [{ operation: { methods: [GET] } }] }] }',
      );
    const viaNamespace =
      ap("deny", "{}") +
      ap(
        "allow",
        "{ selector: { matchLabels: { app: httpbin } }, rules: [{ from: [{ source: { namespaces: [shop] } }] }] }",
      );
    await expectPass("authorizationpolicy.decision", { ...p, expect: "allow" }, viaPrincipal);
    await expectPass("authorizationpolicy.decision", { ...p, expect: "allow" }, viaNamespace);
    await expectPass(
      "authorizationpolicy.decision",
      { ...p, request: { ...request, method: "POST" }, expect: "deny" },
      viaPrincipal,
    );
    await expectFail(
      "authorizationpolicy.decision",
      { ...p, request: { principal: "cluster.local/ns/other/sa/x" }, expect: "allow" },
      viaPrincipal,
      /^a request from cluster.local\/ns\/other\/sa\/x to namespace shop is denied, expected allow: no rule of the ALLOW policies/,
    );
    await expectFail("authorizationpolicy.decision", { ...p, expect: "deny" }, "", /is allowed, expected deny/);
  });
});

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

describe("authorizationpolicy.decision names what decided (issue #14)", () => {
  const p = { namespace: "shop", workloadLabels: { app: "httpbin" } };
  it("names the policy and the field of the rule that failed", async () => {
    const yaml =
      ap("deny", "{}") +
      ap(
        "allow",
        "{ rules: [{ from: [{ source: { serviceAccounts: [sleep] } }], to: [{ operation: { methods: [GET] } }] }] }",
      );
    await expectPass(
      "authorizationpolicy.decision",
      { ...p, request: { principal: "cluster.local/ns/shop/sa/sleep", method: "GET" }, expect: "allow" },
      yaml,
    );
    await expectFail(
      "authorizationpolicy.decision",
      { ...p, request: { principal: "cluster.local/ns/shop/sa/other", method: "GET" }, expect: "allow" },
      yaml,
      /AuthorizationPolicy shop\/allow spec\.rules\[0\]\.from\[0\]\.source\.serviceAccounts \["sleep"\] does not match shop\/other \(a name without namespace is in the policy.s namespace shop\)/,
    );
    await expectFail(
      "authorizationpolicy.decision",
      { ...p, request: { principal: "cluster.local/ns/shop/sa/sleep", method: "GET" }, expect: "deny" },
      yaml,
      /is allowed, expected deny: allowed by AuthorizationPolicy shop\/allow spec\.rules\[0\]/,
    );
  });
  it("names a policy written in another namespace", async () => {
    await expectFail(
      "authorizationpolicy.decision",
      { ...p, request: { principal: "cluster.local/ns/shop/sa/x" }, expect: "deny" },
      ap("deny", "{}", "default"),
      /AuthorizationPolicy default\/deny is in another namespace and does not apply to workloads in shop/,
    );
  });
});

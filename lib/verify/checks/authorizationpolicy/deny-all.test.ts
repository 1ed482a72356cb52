import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { ap } from "./test-world";

describe("authorizationpolicy.deny-all", () => {
  it("deny-all accepts {} and DENY with an empty rule", async () => {
    await expectPass("authorizationpolicy.deny-all", { namespace: "shop" }, ap("deny-all", "{}"));
    await expectPass(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-all", "{ action: DENY, rules: [{}] }"),
    );
    await expectPass(
      "authorizationpolicy.deny-all",
      { namespace: "shop", selector: { app: "httpbin" } },
      ap("deny-httpbin", "{ selector: { matchLabels: { app: httpbin } } }"),
    );
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("allow-all", "{ rules: [{}] }"),
      /found AuthorizationPolicy shop\/allow-all \(ALLOW with 1 rules\)/,
    );
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-httpbin", "{ selector: { matchLabels: { app: httpbin } } }"),
      /no AuthorizationPolicy in namespace shop denies all/,
    );
  });
  it("deny-all fails when another ALLOW policy lets requests through, and counts mesh-wide policies", async () => {
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("allow-nothing", "{}") + ap("allow-get", "{ rules: [{ to: [{ operation: { methods: [GET] } }] }] }"),
      /AuthorizationPolicy shop\/allow-nothing allows nothing, but ALLOW policy AuthorizationPolicy shop\/allow-get lets matching requests through/,
    );
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop", selector: { app: "httpbin" } },
      ap("allow-nothing", "{}") + ap("allow-httpbin", "{ selector: { matchLabels: { app: httpbin } }, rules: [{}] }"),
      /lets matching requests through/,
    );
    // An ALLOW policy for another workload does not open this one.
    await expectPass(
      "authorizationpolicy.deny-all",
      { namespace: "shop", selector: { app: "httpbin" } },
      ap("allow-nothing", "{}") + ap("allow-web", "{ selector: { matchLabels: { app: web } }, rules: [{}] }"),
    );
    // DENY runs before ALLOW: a DENY with an empty rule wins over any ALLOW.
    await expectPass(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-all", "{ action: DENY, rules: [{}] }") + ap("allow-all", "{ rules: [{}] }"),
    );
    // A policy in the root namespace applies mesh-wide.
    await expectPass("authorizationpolicy.deny-all", { namespace: "shop" }, ap("deny-all", "{}", "istio-system"));
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-all", "{}", "istio-system") + ap("allow-all", "{ rules: [{}] }"),
      /lets matching requests through/,
    );
  });
  it("names a deny-all written in another namespace (issue #14)", async () => {
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-all", "{}", "default"),
      /AuthorizationPolicy default\/deny-all denies all in its own namespace, not in shop/,
    );
  });
});

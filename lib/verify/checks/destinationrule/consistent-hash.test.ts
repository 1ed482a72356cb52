import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { policy, target } from "./test-world";

const HASH = "destinationrule.consistent-hash";

describe("destinationrule.consistent-hash", () => {
  it("consistent-hash: exactly one key", async () => {
    await expectPass(
      HASH,
      { ...target, key: "httpHeaderName", value: "X-User" },
      policy("    loadBalancer: { consistentHash: { httpHeaderName: x-user } }"),
    );
    await expectPass(
      HASH,
      { ...target, key: "httpCookie", value: "user", ttl: "0s" },
      policy("    loadBalancer: { consistentHash: { httpCookie: { name: user, ttl: 0s } } }"),
    );
    await expectPass(
      HASH,
      { ...target, key: "useSourceIp" },
      policy("    loadBalancer: { consistentHash: { useSourceIp: true } }"),
    );
    await expectFail(
      HASH,
      { ...target, key: "useSourceIp" },
      policy("    loadBalancer: { consistentHash: { useSourceIp: true, httpHeaderName: x } }"),
      /sets httpHeaderName and useSourceIp; it needs exactly one/,
    );
    await expectFail(
      HASH,
      { ...target, key: "httpHeaderName" },
      policy("    loadBalancer: { simple: RANDOM }"),
      /consistentHash is unset/,
    );
  });
});

describe("destinationrule.consistent-hash with simple beside it", () => {
  it("fails: loadBalancer is a oneOf in the CRD, so the object is refused", async () => {
    await expectFail(
      HASH,
      { ...target, key: "httpHeaderName", value: "x-user" },
      policy("    loadBalancer: { simple: ROUND_ROBIN, consistentHash: { httpHeaderName: x-user } }"),
      /loadBalancer sets both simple and consistentHash; it takes one of them, so the API server refuses the object/,
    );
  });
});

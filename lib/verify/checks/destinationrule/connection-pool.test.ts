import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { circuitBreaker, target } from "./test-world";

describe("destinationrule.connection-pool", () => {
  it("connection-pool compares numbers and durations by value", async () => {
    await expectPass(
      "destinationrule.connection-pool",
      { ...target, tcp: { maxConnections: 1, connectTimeout: "0.03s" }, http: { http1MaxPendingRequests: "1" } },
      circuitBreaker,
    );
    await expectFail(
      "destinationrule.connection-pool",
      { ...target, tcp: { maxConnections: 100 } },
      circuitBreaker,
      /tcp\.maxConnections is 1, expected 100/,
    );
  });
});

import { describe, expect, it } from "vitest";
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

describe("DestinationRule policy messages", () => {
  it("say the fields in words, not JSON", async () => {
    const cp = await expectPass(
      "destinationrule.connection-pool",
      { ...target, tcp: { maxConnections: 1 } },
      circuitBreaker,
    );
    expect(cp.message).toMatch(
      /connectionPool sets tcp\.maxConnections 1, tcp\.connectTimeout 30ms, http\.http1MaxPendingRequests 1/,
    );
    expect(cp.message).not.toMatch(/[{"]/);
    const od = await expectPass(
      "destinationrule.outlier-detection",
      { ...target, consecutive5xxErrors: 1 },
      circuitBreaker,
    );
    expect(od.message).not.toMatch(/[{"]/);
  });
});

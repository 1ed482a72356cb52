import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { circuitBreaker, dr, policy, subsets, target, world } from "./test-world";

const OUTLIER = "destinationrule.outlier-detection";

describe("destinationrule.outlier-detection", () => {
  it("outlier-detection compares numbers and durations by value", async () => {
    await expectPass(
      OUTLIER,
      { ...target, consecutive5xxErrors: 1, interval: "1000ms", baseEjectionTime: "3m", maxEjectionPercent: 100 },
      circuitBreaker,
    );
    await expectFail(
      OUTLIER,
      { ...target, baseEjectionTime: "30s" },
      circuitBreaker,
      /baseEjectionTime is "180s", expected "30s"/,
    );
    await expectFail(OUTLIER, target, world(dr(`  host: helloworld\n${subsets}`)), /outlierDetection is unset/);
  });
  it("outlier-detection reads omitted fields as Istio's/Envoy's defaults", async () => {
    const od = policy("    outlierDetection: { consecutive5xxErrors: 7 }");
    await expectPass(
      OUTLIER,
      {
        ...target,
        consecutive5xxErrors: 7,
        interval: "10s",
        baseEjectionTime: "30s",
        maxEjectionPercent: 10,
        minHealthPercent: 0,
        consecutiveGatewayErrors: 0,
      },
      od,
    );
    await expectPass(
      OUTLIER,
      { ...target, consecutive5xxErrors: 5, interval: "10000ms" },
      policy("    outlierDetection: { baseEjectionTime: 1m }"),
    );
    // maxEjectionPercent 0 is proto3's "unset": Istio leaves Envoy's default of 10%.
    await expectPass(
      OUTLIER,
      { ...target, maxEjectionPercent: 10 },
      policy("    outlierDetection: { maxEjectionPercent: 0, consecutive5xxErrors: 1 }"),
    );
    await expectFail(
      OUTLIER,
      { ...target, interval: "1s", maxEjectionPercent: 100 },
      od,
      /interval is unset \(default 10s\), expected "1s"; maxEjectionPercent is unset \(default 10\), expected 100/,
    );
  });
});

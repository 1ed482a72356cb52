import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { policy, target } from "./test-world";

describe("destinationrule.locality-failover", () => {
  it("locality-failover needs outlier detection", async () => {
    const fo = "    loadBalancer: { localityLbSetting: { enabled: true, failover: [{ from: us-east, to: us-west }] } }";
    await expectPass(
      "destinationrule.locality-failover",
      { ...target, failover: [{ from: "us-east", to: "us-west" }] },
      policy(`${fo}\n    outlierDetection: { consecutive5xxErrors: 1 }`),
    );
    await expectFail(
      "destinationrule.locality-failover",
      target,
      policy(fo),
      /outlierDetection is unset, so Istio never fails over/,
    );
    await expectFail(
      "destinationrule.locality-failover",
      { ...target, failoverPriority: ["topology.kubernetes.io/region"] },
      policy(`${fo}\n    outlierDetection: {}`),
      /failoverPriority is unset/,
    );
  });
});

describe("destinationrule.locality-failover messages", () => {
  it("say the failover entries in words, not JSON", async () => {
    await expectFail(
      "destinationrule.locality-failover",
      { ...target, failover: [{ from: "us-east", to: "us-west" }] },
      policy(
        "    loadBalancer: { localityLbSetting: { failover: [{ from: us-west, to: us-east }] } }\n    outlierDetection: {}",
      ),
      /failover lacks from us-east to us-west \(has from "us-west" to "us-east"\)$/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { dr, policy, subsets, target, world } from "./test-world";

const LB = "destinationrule.load-balancer";

describe("destinationrule.load-balancer", () => {
  it("load-balancer: top level, per subset (override), LEAST_CONN as LEAST_REQUEST", async () => {
    const lb = policy(
      "    loadBalancer: { simple: ROUND_ROBIN }",
      "  subsets:\n  - { name: v1, labels: { version: v1 }, trafficPolicy: { loadBalancer: { simple: LEAST_CONN } } }\n  - { name: v2, labels: { version: v2 } }",
    );
    await expectPass(LB, { ...target, simple: "ROUND_ROBIN" }, lb);
    await expectPass(LB, { ...target, subset: "v2", simple: "ROUND_ROBIN" }, lb);
    await expectPass(LB, { ...target, subset: "v1", simple: "LEAST_REQUEST" }, lb);
    await expectFail(LB, { ...target, simple: "RANDOM" }, lb, /loadBalancer\.simple is "ROUND_ROBIN", expected RANDOM/);
    await expectFail(LB, { ...target, subset: "v9", simple: "RANDOM" }, lb, /has no subset "v9"/);
    await expectFail(
      LB,
      { ...target, simple: "RANDOM" },
      world(dr(`  host: helloworld\n${subsets}`)),
      /unset \(Istio's default is LEAST_REQUEST\)/,
    );
  });
  it("load-balancer: an unset algorithm is Istio's default, LEAST_REQUEST", async () => {
    await expectPass(LB, { ...target, simple: "LEAST_REQUEST" }, world(dr(`  host: helloworld\n${subsets}`)));
    await expectPass(
      LB,
      { ...target, simple: "LEAST_REQUEST" },
      policy("    loadBalancer: { localityLbSetting: { enabled: true } }"),
    );
    await expectFail(
      LB,
      { ...target, simple: "ROUND_ROBIN" },
      policy("    loadBalancer: { localityLbSetting: { enabled: true } }"),
      /loadBalancer\.simple is unset \(Istio's default is LEAST_REQUEST\), expected ROUND_ROBIN/,
    );
  });
  it("load-balancer on a port: its portLevelSettings do not inherit the top-level algorithm", async () => {
    const ported = policy(
      "    loadBalancer: { simple: RANDOM }\n    portLevelSettings: [{ port: { number: 5000 }, connectionPool: { tcp: { maxConnections: 1 } } }]",
    );
    await expectFail(
      LB,
      { ...target, port: 5000, simple: "RANDOM" },
      ported,
      /unset \(Istio's default is LEAST_REQUEST\)/,
    );
    await expectPass(LB, { ...target, port: 5000, simple: "LEAST_REQUEST" }, ported);
  });
  it("exportTo: a list with ~ is rejected by Istio's validation, so the object applies nowhere", async () => {
    await expectFail(
      LB,
      { ...target, simple: "ROUND_ROBIN" },
      world(dr(`  host: helloworld\n${subsets}`)).replace(
        "  host: helloworld\n",
        '  host: helloworld\n  exportTo: ["~", "shop"]\n  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }\n',
      ),
      /no DestinationRule for host/,
    );
  });
});

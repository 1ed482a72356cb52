import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const wg = `apiVersion: networking.istio.io/v1
kind: WorkloadGroup
metadata: { name: legacy }
spec:
  metadata: { labels: { app: legacy } }
  template: { serviceAccount: legacy, network: vm-net }
  probe: { httpGet: { port: 8080, path: /ready } }
---
`;

describe("workloadgroup.exists", () => {
  it("workloadgroup.exists", async () => {
    await expectPass(
      "workloadgroup.exists",
      { namespace: "shop", labels: { app: "legacy" }, serviceAccount: "legacy", network: "vm-net", probe: true },
      wg,
    );
    await expectFail(
      "workloadgroup.exists",
      { namespace: "shop", serviceAccount: "other" },
      wg,
      /template\.serviceAccount is "legacy", expected other/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const we = `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: vm1 }
spec: { address: 10.0.0.5, labels: { app: legacy }, serviceAccount: legacy }
---
apiVersion: v1
kind: Service
metadata: { name: legacy }
spec: { selector: { app: legacy }, ports: [{ name: http, port: 8080 }] }
---
`;

describe("workloadentry.exists", () => {
  it("workloadentry.exists", async () => {
    await expectPass(
      "workloadentry.exists",
      { namespace: "shop", address: "10.0.0.5", labels: { app: "legacy" }, service: "legacy" },
      we,
    );
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", service: "legacy" },
      we.replace("selector: { app: legacy }", "selector: { app: other }"),
      /does not select its labels/,
    );
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", address: "10.0.0.6" },
      we,
      /spec\.address is "10\.0\.0\.5", expected 10\.0\.0\.6/,
    );
  });
});

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
      /does not select its spec\.labels/,
    );
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", address: "10.0.0.6" },
      we,
      /spec\.address is "10\.0\.0\.5", expected 10\.0\.0\.6/,
    );
  });
  it("workloadentry.exists selects by spec.labels only, as Istio does; metadata.labels do not count", async () => {
    const metaOnly = we
      .replace("metadata: { name: vm1 }", "metadata: { name: vm1, labels: { app: legacy } }")
      .replace("labels: { app: legacy }, serviceAccount", "serviceAccount");
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", service: "legacy" },
      metaOnly,
      /does not select its spec\.labels \(none\) \(Istio matches spec\.labels, not metadata\.labels\)/,
    );
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", labels: { app: "legacy" } },
      metaOnly,
      /spec\.labels is/,
    );
  });
  it("workloadentry.exists: a Kubernetes Service selects only an entry with an IP address, and must have the port", async () => {
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", service: "legacy" },
      we.replace("address: 10.0.0.5", "address: vm1.example.com"),
      /spec\.address "vm1\.example\.com" is not an IP address/,
    );
    await expectPass("workloadentry.exists", { namespace: "shop", service: "legacy", servicePort: 8080 }, we);
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", service: "legacy", servicePort: 9080 },
      we,
      /Service shop\/legacy spec\.ports has no port 9080/,
    );
  });
});

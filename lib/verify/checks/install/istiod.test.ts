import { describe, it } from "vitest";
import { expectLive } from "../test-harness";

const istiod = (name: string, rev: string | undefined, available: number, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: istio-system
  labels: { app: istiod${rev ? `, istio.io/rev: ${rev}` : ""} }
spec: { replicas: ${replicas} }
status: { availableReplicas: ${available} }
---
`;

describe("install.istiod", () => {
  const use = "install.istiod";
  it("finds the revision by its label, whatever the Deployment is named", async () => {
    const world = istiod("istiod", "default", 1) + istiod("my-istiod-next", "canary", 2);
    await expectLive(use, {}, world, "pass", /istiod \(revision default\) has 1 available/);
    await expectLive(use, { revision: "canary" }, world, "pass", /my-istiod-next \(revision canary\) has 2 available/);
  });
  it("reads an istiod without istio.io/rev as revision default", async () => {
    await expectLive(use, {}, istiod("istiod", undefined, 1), "pass", /revision default/);
  });
  it("names the revisions it found when the wanted one is missing", async () => {
    await expectLive(
      use,
      { revision: "canary" },
      istiod("istiod", "default", 1),
      "fail",
      /no istiod of revision canary in namespace istio-system: found Deployment istio-system\/istiod \(revision default\)/,
    );
    await expectLive(use, {}, "", "fail", /not installed there/);
  });
  it("fails an istiod scaled to zero or not available, and says so", async () => {
    await expectLive(use, {}, istiod("istiod", "default", 0, 0), "fail", /no available replica \(spec.replicas is 0\)/);
    await expectLive(use, {}, istiod("istiod", "default", 0), "fail", /no available replica$/);
  });
  it("ignores Deployments that are not istiod", async () => {
    const gateway = `apiVersion: apps/v1
kind: Deployment
metadata: { name: istiod, namespace: istio-system, labels: { app: not-istiod } }
spec: { replicas: 1 }
status: { availableReplicas: 1 }
---
`;
    await expectLive(use, {}, gateway, "fail", /not installed/);
  });
});

import { describe, it } from "vitest";
import { expectLive } from "../test-harness";

const istiod = (resources: string, name = "istiod") => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: istio-system, labels: { app: istiod, istio.io/rev: default } }
spec:
  template:
    spec:
      containers:
        - name: discovery
          resources: ${resources}
---
`;

describe("deployment.resources", () => {
  const use = "deployment.resources";
  const bySelector = { namespace: "istio-system", selector: { app: "istiod" }, container: "discovery" };
  it("compares amounts by value, however they are written", async () => {
    const world = istiod("{ requests: { cpu: '0.25', memory: 0.5Gi }, limits: { memory: 1024Mi } }");
    await expectLive(use, { ...bySelector, requests: { cpu: "250m", memory: "512Mi" } }, world, "pass", /holds/);
    await expectLive(use, { ...bySelector, limits: { memory: "1Gi" } }, world, "pass", /holds/);
    await expectLive(
      use,
      { namespace: "istio-system", name: "istiod", requests: { cpu: 0.25 } },
      world,
      "pass",
      /holds/,
    );
  });
  it("names the field and both values when an amount differs or is missing", async () => {
    const world = istiod("{ requests: { cpu: 500m, memory: 2048Mi } }");
    await expectLive(
      use,
      { ...bySelector, requests: { cpu: "250m" } },
      world,
      "fail",
      /Deployment istio-system\/istiod spec.template.spec.containers\[0\].resources.requests.cpu is "?500m"?, expected 250m/,
    );
    await expectLive(
      use,
      { ...bySelector, limits: { memory: "1Gi" } },
      world,
      "fail",
      /limits.memory is .*expected 1Gi/,
    );
  });
  it("says when no Deployment matches or the container is missing", async () => {
    const world = istiod("{}");
    await expectLive(
      use,
      { ...bySelector, selector: { app: "other" }, requests: { cpu: 1 } },
      world,
      "fail",
      /no Deployment in istio-system labelled/,
    );
    await expectLive(
      use,
      { ...bySelector, container: "sidecar", requests: { cpu: 1 } },
      world,
      "fail",
      /has no container sidecar/,
    );
  });
});

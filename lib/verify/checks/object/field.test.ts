import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { helloworld } from "../test-objects";

describe("object.field", () => {
  it("object.field", async () => {
    const world = helloworld();
    await expectPass(
      "object.field",
      { kind: "Deployment", namespace: "shop", name: "helloworld-v1", path: "spec.replicas", equals: "1" },
      world,
    );
    await expectPass(
      "object.field",
      { kind: "Deployment", namespace: "shop", path: "spec.template.metadata.labels.version", equals: "v2" },
      world,
    );
    await expectPass(
      "object.field",
      { kind: "Service", namespace: "shop", name: "helloworld", path: "spec.ports", contains: [{ name: "http" }] },
      world,
    );
    await expectPass(
      "object.field",
      { kind: "Namespace", name: "shop", path: "metadata.labels['istio-injection']", equals: "enabled" },
      world,
    );
    await expectFail(
      "object.field",
      { kind: "Deployment", namespace: "shop", name: "helloworld-v1", path: "spec.replicas", equals: 3 },
      world,
      /Deployment shop\/helloworld-v1 spec\.replicas is 1, expected 3/,
    );
    await expectFail(
      "object.field",
      { kind: "Service", namespace: "shop", name: "helloworld", path: "spec.type", exists: true },
      world,
      /expected it set/,
    );
  });
  it("object.field notEquals (e.g. not running as UID 1337)", async () => {
    const d =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec: { template: { spec: { securityContext: { runAsUser: 1337 } } } }\n";
    const p = {
      kind: "Deployment",
      namespace: "shop",
      name: "app",
      path: "spec.template.spec.securityContext.runAsUser",
      notEquals: 1337,
    };
    await expectFail("object.field", p, d, /is 1337, expected anything else/);
    await expectPass("object.field", p, d.replace("1337", "1000"));
  });
});

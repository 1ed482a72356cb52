import { describe, expect, it } from "vitest";
import { expectFail, expectPass, grade } from "../test-harness";
import { helloworld } from "../test-objects";

describe("object.exists", () => {
  it("object.exists", async () => {
    const world = helloworld();
    await expectPass("object.exists", { kind: "Deployment", namespace: "shop", labels: { version: "v2" } }, world);
    await expectPass(
      "object.exists",
      { kind: "StatefulSet", apiVersion: "apps/v1", namespace: "shop", absent: true },
      world,
    );
    await expectFail(
      "object.exists",
      { kind: "Deployment", namespace: "shop", name: "nope" },
      world,
      /no Deployment shop\/nope/,
    );
  });
  it("rejects kinds it cannot read as invalid parameters", async () => {
    const ambiguous = await grade("object.exists", { kind: "Gateway" }, "");
    expect(ambiguous.status).toBe("error");
    expect(ambiguous.message).toMatch(/ambiguous/);
    const unknown = await grade("object.exists", { kind: "Widget" }, "");
    expect(unknown.message).toMatch(/give its apiVersion/);
  });
});

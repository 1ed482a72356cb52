import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { helloworld } from "../test-objects";

describe("service.ports", () => {
  it("service.ports", async () => {
    await expectPass("service.ports", { namespace: "shop", name: "helloworld" }, helloworld());
    const bad =
      "apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ name: web, port: 15001 }, { port: 80, appProtocol: http }] }\n";
    await expectFail(
      "service.ports",
      { namespace: "shop", name: "s" },
      bad,
      /spec\.ports\[0\]\.name is "web"/,
      /port 15001 is reserved/,
    );
  });
});

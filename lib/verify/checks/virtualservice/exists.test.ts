import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, vs, world } from "./test-world";

describe("virtualservice.exists", () => {
  it("exists", async () => {
    await expectPass("virtualservice.exists", { namespace: "shop", host: "helloworld" }, world(vs(serveV1)));
    await expectFail(
      "virtualservice.exists",
      { namespace: "shop", name: "other" },
      world(vs(serveV1)),
      /no VirtualService named other in namespace shop/,
    );
    await expectFail(
      "virtualservice.exists",
      { namespace: "shop", gateways: ["gw"] },
      world(vs(serveV1)),
      /not to shop\/gw/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

describe("virtualservice.unique-host", () => {
  it("unique-host", async () => {
    await expectPass("virtualservice.unique-host", target, world(vs(serveV1)));
    await expectFail(
      "virtualservice.unique-host",
      target,
      world(vs(serveV1, "", "a") + vs(serveV1, "", "b")),
      /2 VirtualServices name host .* Istio uses VirtualService shop\/a and ignores VirtualService shop\/b/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

describe("virtualservice.subsets-defined", () => {
  it("subsets-defined", async () => {
    await expectPass(
      "virtualservice.subsets-defined",
      target,
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }`)),
    );
    await expectFail(
      "virtualservice.subsets-defined",
      target,
      world(vs("  - route: [{ destination: { host: helloworld, subset: v3 } }]")),
      /uses subset v3, which DestinationRule shop\/helloworld does not define \(it has v1 and v2\)/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

describe("virtualservice.headers", () => {
  it("accepts headers set or added, at rule or destination level", async () => {
    const p = {
      ...target,
      requestHeaders: { set: { "X-Team": "blue" } },
      responseHeaders: { remove: ["x-powered-by"] },
    };
    await expectPass(
      "virtualservice.headers",
      p,
      world(vs(`${serveV1}    headers: { request: { set: { x-team: blue } }, response: { remove: [X-Powered-By] } }`)),
    );
    await expectPass(
      "virtualservice.headers",
      p,
      world(
        vs(
          "  - route: [{ destination: { host: helloworld, subset: v1 }, headers: { request: { add: { x-team: blue } }, response: { remove: [x-powered-by] } } }]",
        ),
      ),
    );
    await expectFail(
      "virtualservice.headers",
      p,
      world(vs(serveV1)),
      /request header X-Team: blue is not set/,
      /response header x-powered-by is not removed/,
    );
  });
});

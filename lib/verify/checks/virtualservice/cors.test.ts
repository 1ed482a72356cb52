import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

describe("virtualservice.cors", () => {
  it("accepts equivalent CORS policies", async () => {
    const cors = world(
      vs(
        `${serveV1}    corsPolicy: { allowOrigins: [{ regex: "https://.*\\\\.example\\\\.com" }], allowMethods: [get, POST], maxAge: 86400s, allowCredentials: true }`,
      ),
    );
    await expectPass(
      "virtualservice.cors",
      {
        ...target,
        allowOrigins: ["https://app.example.com"],
        allowMethods: ["GET"],
        maxAge: "24h",
        allowCredentials: true,
      },
      cors,
    );
    await expectFail(
      "virtualservice.cors",
      { ...target, allowOrigins: ["https://evil.com"] },
      cors,
      /origin https:\/\/evil\.com is not allowed/,
    );
    await expectFail(
      "virtualservice.cors",
      { ...target, allowMethods: ["DELETE"] },
      cors,
      /allowMethods .* lacks DELETE/,
    );
  });
  it("accepts an origin matcher that matches * as allowing every origin, as Envoy does", async () => {
    for (const m of ['{ exact: "*" }', '{ prefix: "*" }']) {
      await expectPass(
        "virtualservice.cors",
        { ...target, allowOrigins: ["https://app.example.com"] },
        world(vs(`${serveV1}    corsPolicy: { allowOrigins: [${m}] }`)),
      );
    }
  });
});

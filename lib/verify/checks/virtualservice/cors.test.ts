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

describe("virtualservice.cors: origins that must stay out (issue #13)", () => {
  const withOrigins = (origins: string) =>
    world(vs(`${serveV1}    corsPolicy: { allowOrigins: ${origins}, allowMethods: [GET] }`));
  it("a wildcard that also lets other origins in fails; the exact origin passes", async () => {
    const p = {
      ...target,
      allowOrigins: ["https://shop.example.com"],
      notAllowedOrigins: ["https://evil.example.com"],
    };
    await expectPass("virtualservice.cors", p, withOrigins('[{ exact: "https://shop.example.com" }]'));
    await expectPass("virtualservice.cors", p, withOrigins('[{ regex: "https://shop\\\\.example\\\\.com" }]'));
    await expectFail(
      "virtualservice.cors",
      p,
      withOrigins('[{ regex: ".*" }]'),
      /spec\.http\[0\]\.corsPolicy: origin https:\/\/evil\.example\.com is allowed by allowOrigins .*, but must not be/,
    );
    await expectFail("virtualservice.cors", p, withOrigins('[{ prefix: "https://" }]'), /must not be/);
  });
});

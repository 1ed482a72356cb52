import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { apiGateway } from "../test-objects";

describe("gatewayapi.gateway", () => {
  it("gatewayapi.gateway", async () => {
    await expectPass(
      "gatewayapi.gateway",
      { namespace: "shop", listeners: [{ port: 80, protocol: "http" }] },
      apiGateway,
    );
    await expectFail(
      "gatewayapi.gateway",
      { namespace: "shop", listeners: [{ port: 443 }] },
      apiGateway,
      /has no listener with port 443 \(spec\.listeners: name http port 80 protocol HTTP\)/,
    );
    await expectFail(
      "gatewayapi.gateway",
      { namespace: "shop", gatewayClassName: "other" },
      apiGateway,
      /gatewayClassName is "istio", expected other/,
    );
  });
});

import { describe, expect, it } from "vitest";
import { expectLive, grade } from "../test-harness";
import { apiGateway, withStatus } from "../test-objects";

describe("gatewayapi.gateway-programmed", () => {
  it("reads status on a live cluster", async () => {
    const world =
      withStatus("Gateway", "gw", "{ conditions: [{ type: Programmed, status: 'True' }] }") +
      withStatus(
        "Gateway",
        "pending",
        "{ conditions: [{ type: Programmed, status: 'False', message: waiting for controller }] }",
      );
    const use = "gatewayapi.gateway-programmed";
    await expectLive(use, { namespace: "istio-system", name: "gw" }, world, "pass", /is Programmed/);
    await expectLive(use, { namespace: "istio-system", name: "pending" }, world, "fail", /waiting for controller/);
  });
  it("gatewayapi.gateway-programmed is skipped without a data plane", async () => {
    const r = await grade("gatewayapi.gateway-programmed", { namespace: "shop", name: "gateway" }, apiGateway);
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(/needs a data plane/);
  });
});

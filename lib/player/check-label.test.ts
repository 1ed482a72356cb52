import { expect, it } from "vitest";
import { checkLabel } from "./check-label";

it("labels a check for people, not by its internal id", () => {
  expect(checkLabel("mirror/virtualservice.mirror")).toBe("VirtualService: mirror");
  expect(checkLabel("pool/destinationrule.connection-pool")).toBe("DestinationRule: connection pool");
  expect(checkLabel("t/gatewayapi.gateway-programmed")).toBe("Gateway API Gateway: gateway programmed");
  expect(checkLabel("custom/podCount")).toBe("podCount");
  expect(checkLabel("t/my-id")).toBe("my-id");
});

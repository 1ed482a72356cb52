import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, vs, world } from "./test-world";

describe("virtualservice.gateway", () => {
  it("gateway binding", async () => {
    const gw = (hosts: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ${hosts} }]
---
`;
    const bound = vs(serveV1, "  gateways: [gw]\n").replace("hosts: [helloworld]", 'hosts: ["hello.example.com"]');
    await expectPass(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "gw" },
      world(gw('["*.example.com"]') + bound),
    );
    await expectPass(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "shop/gw", host: "hello.example.com" },
      world(gw('["shop/hello.example.com"]') + bound),
    );
    await expectFail(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "gw" },
      world(gw('["other.example.com"]') + bound),
      /IST0132/,
    );
    await expectFail(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "gw" },
      world(gw('["other-ns/hello.example.com"]') + bound),
      /IST0132/,
    );
    await expectFail(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "gw", mesh: true },
      world(gw('["*"]') + bound),
      /lacks "mesh"/,
    );
    await expectFail(
      "virtualservice.gateway",
      { namespace: "shop", gateway: "missing" },
      world(bound),
      /Gateway shop\/missing not found/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const gateway = (servers: string, selector = "{ istio: ingressgateway }") => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  selector: ${selector}
  servers:
${servers}
---
`;
const https =
  "  - port: { number: 443, name: https, protocol: HTTPS }\n    hosts: [hello.example.com]\n    tls: { mode: SIMPLE, credentialName: hello-cert }\n";
const http =
  "  - port: { number: 80, name: http, protocol: http }\n    hosts: ['*']\n    tls: { httpsRedirect: true }\n";
const ingressPod =
  "apiVersion: v1\nkind: Pod\nmetadata: { name: igw, namespace: istio-system, labels: { istio: ingressgateway, app: istio-ingressgateway } }\nspec: { containers: [{ name: istio-proxy }] }\n---\n";

describe("gateway.server", () => {
  it("accepts a server in any position, protocols in any case, a covering wildcard host", async () => {
    const gw = gateway(http + https);
    await expectPass(
      "gateway.server",
      {
        namespace: "shop",
        selector: { istio: "ingressgateway" },
        port: 443,
        protocol: "HTTPS",
        hosts: ["hello.example.com"],
        tls: { mode: "SIMPLE", credentialName: "hello-cert" },
      },
      gw,
    );
    await expectPass(
      "gateway.server",
      { namespace: "shop", name: "gw", port: 80, protocol: "HTTP", hosts: ["any.example.com"], httpsRedirect: true },
      gw,
    );
    await expectPass(
      "gateway.server",
      { namespace: "shop", selector: { istio: "ingressgateway" } },
      ingressPod + gateway(https, "{ istio: ingressgateway, app: istio-ingressgateway }"),
    );
  });
  it("rejects a wrong selector, TLS mode, secret or exact host", async () => {
    await expectFail(
      "gateway.server",
      { namespace: "shop", selector: { istio: "egressgateway" } },
      gateway(https),
      /spec\.selector is istio=ingressgateway, expected istio=egressgateway/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 443, tls: { mode: "MUTUAL" } },
      gateway(https),
      /spec\.servers\[0\]: tls\.mode is "SIMPLE", expected MUTUAL/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 443, tls: { credentialName: "other" } },
      gateway(https),
      /credentialName is "hello-cert", expected other/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 80, hosts: ["a.example.com"], exactHosts: true },
      gateway(http),
      /do not include a\.example\.com/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", selector: { istio: "ingressgateway" } },
      ingressPod + gateway(https, "{ istio: ingressgateway, app: other }"),
      /selects none of the workloads/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "other", port: 80 },
      gateway(http),
      /no Gateway \(networking\.istio\.io\) in namespace other/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { helloworld } from "../test-objects";

describe("hosts.resolve", () => {
  const vs = (hosts: string, dest: string, extra = "") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: v }
spec:
  hosts: ${hosts}
${extra}  http: [{ route: [{ destination: { host: ${dest} } }], mirror: { host: ${dest} } }]
---
`;
  it("accepts short names, FQDNs and ServiceEntry hosts", async () => {
    await expectPass("hosts.resolve", { namespace: "shop" }, helloworld() + vs("[helloworld]", "helloworld"));
    await expectPass(
      "hosts.resolve",
      { namespace: "shop" },
      helloworld() + vs("[helloworld.shop.svc.cluster.local]", "helloworld.shop.svc.cluster.local"),
    );
    await expectPass(
      "hosts.resolve",
      { namespace: "shop" },
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: ext }\nspec: { hosts: ["*.example.com"] }\n---\n${vs("[api.example.com]", "api.example.com")}`,
    );
    await expectPass(
      "hosts.resolve",
      { namespace: "shop" },
      helloworld() + vs("[hello.example.com]", "helloworld", "  gateways: [gw]\n"),
    );
  });
  it("rejects dotted short names and names in the wrong namespace", async () => {
    await expectFail(
      "hosts.resolve",
      { namespace: "shop" },
      helloworld() + vs("[helloworld]", "helloworld.shop"),
      /spec\.http\[0\]\.route\[0\]\.destination\.host is "helloworld\.shop": Istio takes a name with a dot as written/,
      /spec\.http\[0\]\.mirror\.host/,
    );
    await expectFail(
      "hosts.resolve",
      { namespace: "shop" },
      helloworld() + vs("[helloworld]", "helloworld.default.svc.cluster.local"),
      /no Service helloworld in namespace default/,
    );
    await expectFail(
      "hosts.resolve",
      { namespace: "shop" },
      `${helloworld()}apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: d }\nspec: { host: helloworld.test }\n---\n`,
      /DestinationRule shop\/d spec\.host is "helloworld\.test"/,
    );
  });
});

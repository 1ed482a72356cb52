import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

describe("serviceentry.host", () => {
  const se = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: httpbin-ext }
spec:
  hosts: [httpbin.org]
  ports: [{ number: 443, name: tls, protocol: tls }]
  resolution: DNS
---
`;
  it("serviceentry", async () => {
    await expectPass(
      "serviceentry.host",
      { host: "httpbin.org", location: "MESH_EXTERNAL", resolution: "DNS", ports: [{ number: 443, protocol: "TLS" }] },
      se,
    );
    await expectFail(
      "serviceentry.host",
      { host: "httpbin.org", resolution: "STATIC" },
      se,
      /resolution is DNS, expected STATIC/,
    );
    await expectFail(
      "serviceentry.host",
      { host: "example.com" },
      se,
      /no ServiceEntry names host example\.com \(ServiceEntry shop\/httpbin-ext has \["httpbin\.org"\]\)/,
    );
    await expectFail("serviceentry.host", { host: "httpbin.org", ports: [{ number: 80 }] }, se, /ports lack 80/);
  });
  it("exportTo: a list with ~ is rejected by Istio's validation, so the object applies nowhere", async () => {
    const ext = (exportTo: string) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ext }
spec:
  hosts: [api.example.com]
  exportTo: ${exportTo}
  ports: [{ number: 443, name: https, protocol: TLS }]
  resolution: DNS
---
`;
    await expectFail(
      "serviceentry.host",
      { namespace: "shop", host: "api.example.com", visibleTo: "shop" },
      ext('["~", "shop"]'),
      /exportTo \["~","shop"\]/,
    );
    await expectFail(
      "serviceentry.host",
      { namespace: "shop", host: "api.example.com", visibleTo: "shop" },
      ext('["~"]'),
      /hides it from namespace shop/,
    );
  });
  it("takes the list of resolutions and protocols that work when the task leaves them free", async () => {
    const params = {
      host: "httpbin.org",
      resolution: ["DNS", "NONE"],
      ports: [{ number: 443, protocol: ["TLS", "HTTPS"] }],
    };
    await expectPass("serviceentry.host", params, se);
    await expectPass(
      "serviceentry.host",
      params,
      se.replace("protocol: tls", "protocol: HTTPS").replace("resolution: DNS", ""),
    );
    await expectFail(
      "serviceentry.host",
      params,
      se.replace("protocol: tls", "protocol: HTTP").replace("resolution: DNS", "resolution: STATIC"),
      /spec: resolution is STATIC, expected DNS or NONE; ports\[0\] \(443\) protocol is "HTTP", expected TLS or HTTPS/,
    );
  });
});

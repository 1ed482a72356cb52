import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const se = (ports: string, location = "MESH_EXTERNAL") => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: httpbin-org, namespace: shop }
spec:
  hosts: [httpbin.org]
  location: ${location}
  ports:
${ports}
  resolution: DNS
---
`;
const http80 = "  - { number: 80, name: http, protocol: HTTP }";
const http80to443 = "  - { number: 80, name: http, protocol: HTTP, targetPort: 443 }";
const https443 = "  - { number: 443, name: https, protocol: HTTPS }";
const dr = (policy: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin-org, namespace: shop }
spec:
  host: httpbin.org
  trafficPolicy:
${policy}
---
`;
const portSimple = (port: number) =>
  `    portLevelSettings:\n    - port: { number: ${port} }\n      tls: { mode: SIMPLE }`;
const originate = { host: "httpbin.org", namespace: "shop", port: 80, mode: "SIMPLE", upstreamPort: 443 };

describe("serviceentry.upstream-tls", () => {
  it("sends plain text to a MESH_EXTERNAL host without tls: auto mTLS never applies (issue #13)", async () => {
    await expectPass("serviceentry.upstream-tls", { ...originate, mode: "DISABLE", upstreamPort: 80 }, se(http80));
    await expectFail(
      "serviceentry.upstream-tls",
      originate,
      se(http80) + dr("    connectionPool: { tcp: { maxConnections: 10 } }"),
      /no DestinationRule sets tls for httpbin\.org port 80 \(DestinationRule shop\/httpbin-org leaves it unset\), and auto mTLS never applies to a MESH_EXTERNAL host: the sidecar sends the application.s bytes as they are, no TLS of its own \(DISABLE\), expected TLS it originates \(SIMPLE\)/,
    );
  });
  it("originates TLS as istio.io does today: port 80 with targetPort 443 and SIMPLE on port 80", async () => {
    await expectPass("serviceentry.upstream-tls", originate, se(`${http80to443}\n${https443}`) + dr(portSimple(80)));
    await expectPass("serviceentry.upstream-tls", originate, se(http80to443) + dr("    tls: { mode: SIMPLE }"));
  });
  it("originates TLS as older docs did: a VirtualService moves port 80 to 443, SIMPLE on 443", async () => {
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: httpbin-org, namespace: shop }
spec:
  hosts: [httpbin.org]
  http:
  - match: [{ port: 80 }]
    route:
    - destination: { host: httpbin.org, port: { number: 443 } }
---
`;
    await expectPass("serviceentry.upstream-tls", originate, se(`${http80}\n${https443}`) + vs + dr(portSimple(443)));
    await expectFail(
      "serviceentry.upstream-tls",
      originate,
      se(`${http80}\n${https443}`) + dr(portSimple(443)),
      /no VirtualService for httpbin\.org, so port 80 goes to port 80; no DestinationRule sets tls .*: the sidecar sends the application.s bytes as they are/,
    );
    await expectFail(
      "serviceentry.upstream-tls",
      originate,
      se(http80) + vs + dr(portSimple(443)),
      /sends port 80 to port 443, which is no port of ServiceEntry shop\/httpbin-org/,
    );
  });
  it("needs the upstream port: TLS to port 80 reaches no HTTPS server", async () => {
    await expectFail(
      "serviceentry.upstream-tls",
      originate,
      se(http80) + dr("    tls: { mode: SIMPLE }"),
      /it connects to httpbin\.org:80 \(ServiceEntry shop\/httpbin-org port 80 \(no targetPort\)\), expected port 443/,
    );
  });
  it("gives a MESH_INTERNAL host Istio mTLS when auto mTLS is on", async () => {
    await expectFail(
      "serviceentry.upstream-tls",
      { ...originate, upstreamPort: undefined },
      se(http80, "MESH_INTERNAL"),
      /MESH_INTERNAL and auto mTLS is on: the sidecar sends Istio mutual TLS \(ISTIO_MUTUAL\), expected TLS it originates/,
    );
  });
  it("fails when no ServiceEntry is visible to the client", async () => {
    await expectFail(
      "serviceentry.upstream-tls",
      { ...originate, namespace: "other" },
      se(http80).replace("resolution: DNS", "resolution: DNS\n  exportTo: ['.']"),
      /no ServiceEntry visible to namespace other names host httpbin\.org/,
    );
  });
  it("passes a TLS port that no VirtualService rule matches as it is; an HTTP port without route answers 404", async () => {
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: httpbin-org, namespace: shop }
spec:
  hosts: [httpbin.org]
  http:
  - match: [{ port: 8080 }]
    route:
    - destination: { host: httpbin.org, port: { number: 8080 } }
---
`;
    const ports = `${http80}\n${https443}\n  - { number: 8080, name: http-alt, protocol: HTTP }`;
    await expectPass(
      "serviceentry.upstream-tls",
      { host: "httpbin.org", namespace: "shop", port: 443, mode: "DISABLE", upstreamPort: 443 },
      se(ports) + vs,
    );
    await expectFail(
      "serviceentry.upstream-tls",
      { host: "httpbin.org", namespace: "shop", port: 80, mode: "DISABLE" },
      se(ports) + vs,
      /no rule of VirtualService shop\/httpbin-org matches httpbin\.org:80: the sidecar answers 404/,
    );
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

/** The default profile's ingress gateway: Deployment and Service in istio-system (443 → 8443). */
const ingress = `apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingressgateway, namespace: istio-system }
spec:
  template:
    metadata: { labels: { app: istio-ingressgateway, istio: ingressgateway } }
    spec: { containers: [{ name: istio-proxy, args: [proxy, router] }] }
---
apiVersion: v1
kind: Service
metadata: { name: istio-ingressgateway, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  ports: [{ name: http2, port: 80, targetPort: 8080 }, { name: https, port: 443, targetPort: 8443 }]
---
`;
const nginx = (ports = "[{ name: https, port: 443, targetPort: 8443 }]") => `apiVersion: v1
kind: Service
metadata: { name: nginx, namespace: shop }
spec:
  selector: { app: nginx }
  ports: ${ports}
---
`;
const gateway = (
  tls = "{ mode: PASSTHROUGH }",
  protocol = "TLS",
  hosts = "[secure.example.com]",
  port = 443,
) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: ${port}, name: tls, protocol: ${protocol} }
    hosts: ${hosts}
    tls: ${tls}
---
`;
const vs = (body: string, hosts = "[secure.example.com]", extra = "") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: secure, namespace: shop }
spec:
  hosts: ${hosts}
  gateways: [gw]
${extra}${body}---
`;
const tlsTo = (host = "nginx", sni = "secure.example.com", more = "") =>
  `  tls:\n  - match: [{ sniHosts: [${sni}]${more} }]\n    route: [{ destination: { host: ${host}, port: { number: 443 } } }]\n`;
const params = {
  sni: "secure.example.com",
  namespace: "shop",
  gateway: "gw",
  port: 443,
  expect: { nginx: 100 },
  destinationPort: 443,
};

describe("virtualservice.tls-route", () => {
  it("routes the SNI through a PASSTHROUGH server, written many equivalent ways", async () => {
    await expectPass("virtualservice.tls-route", params, ingress + nginx() + gateway() + vs(tlsTo()));
    // HTTPS protocol with PASSTHROUGH, tls without mode, the FQDN destination, a port match, a wildcard sniHost
    await expectPass(
      "virtualservice.tls-route",
      params,
      ingress +
        nginx() +
        gateway("{}", "HTTPS", "['*.example.com']") +
        vs(tlsTo("nginx.shop.svc.cluster.local", "'*.example.com'", ", port: 443"), "['*.example.com']"),
    );
    // the server written with the pod's port 8443, the client on the Service's 443; no destination port (one Service port)
    await expectPass(
      "virtualservice.tls-route",
      params,
      ingress +
        nginx() +
        gateway(undefined, undefined, undefined, 8443) +
        vs(
          "  tls:\n  - match: [{ sniHosts: [secure.example.com], gateways: [shop/gw] }]\n    route: [{ destination: { host: nginx } }]\n",
        ),
    );
    // weights as proportions
    await expectPass(
      "virtualservice.tls-route",
      { ...params, expect: { nginx: 90, "nginx-canary": 10 } },
      ingress +
        nginx() +
        nginx().replaceAll("nginx", "nginx-canary") +
        gateway() +
        vs(
          "  tls:\n  - match: [{ sniHosts: [secure.example.com] }]\n    route:\n    - { destination: { host: nginx, port: { number: 443 } }, weight: 9 }\n    - { destination: { host: nginx-canary, port: { number: 443 } }, weight: 1 }\n",
        ),
    );
  });
  it("passes other spellings: v1alpha3, lower-case protocol, */host server host, the gateway's FQDN, ns/name in the match", async () => {
    await expectPass(
      "virtualservice.tls-route",
      params,
      ingress +
        nginx() +
        gateway(undefined, "tls", "['*/secure.example.com']").replace(
          "networking.istio.io/v1",
          "networking.istio.io/v1alpha3",
        ) +
        vs(tlsTo("nginx", "secure.example.com", ", gateways: [shop/gw]")).replace(
          "gateways: [gw]",
          "gateways: [gw.shop.svc.cluster.local]",
        ),
    );
  });
  it("fails AUTO_PASSTHROUGH (routes by the mesh cluster name, not by VirtualServices)", async () => {
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway("{ mode: AUTO_PASSTHROUGH }") + vs(tlsTo()),
      /spec\.servers\[0\] has tls\.mode AUTO_PASSTHROUGH, so the gateway routes by the SNI as a mesh cluster name and ignores VirtualServices/,
    );
  });
  it("fails a server that terminates TLS, or no server for the host", async () => {
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway("{ mode: SIMPLE, credentialName: cert }", "HTTPS") + vs(tlsTo()),
      /Gateway shop\/gw has no PASSTHROUGH server for secure\.example\.com on port 443: spec\.servers\[0\] has tls\.mode SIMPLE, so the gateway terminates TLS itself and uses no tls routes/,
    );
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway("{ mode: PASSTHROUGH }", "HTTP") + vs(tlsTo()),
      /spec\.servers\[0\] has protocol HTTP, so the gateway reads the connection as plain HTTP \(a passthrough server has protocol TLS or HTTPS\)/,
    );
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway(undefined, undefined, "[other.example.com]") + vs(tlsTo()),
      /no PASSTHROUGH server for secure\.example\.com on port 443 \(no server on port 443 accepts secure\.example\.com\)/,
    );
  });
  it("fails an http route, sniHosts that do not cover the SNI, or a match for another port or gateway", async () => {
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress +
        nginx() +
        gateway() +
        vs("  http:\n  - route: [{ destination: { host: nginx, port: { number: 443 } } }]\n"),
      /no tls rule of VirtualService shop\/secure matches SNI secure\.example\.com at Gateway shop\/gw on port 443: VirtualService shop\/secure has no tls rules \(a PASSTHROUGH server does not decrypt/,
    );
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress +
        nginx() +
        gateway("{ mode: PASSTHROUGH }", "TLS", "['*.example.com']") +
        vs(tlsTo("nginx", "other.example.com"), "['*.example.com']"),
      /no tls rule of VirtualService shop\/secure matches SNI secure\.example\.com at Gateway shop\/gw on port 443: VirtualService shop\/secure spec\.tls\[0\]\.match\[0\] has sniHosts \["other\.example\.com"\]/,
    );
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway() + vs(tlsTo("nginx", "secure.example.com", ", port: 8443")),
      /no tls rule/,
    );
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway() + vs(tlsTo("nginx", "secure.example.com", ", gateways: [other]")),
      /no tls rule/,
    );
  });
  it("fails sniHosts Istio rejects (not a subset of the hosts), and a VirtualService not bound to the gateway", async () => {
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway() + vs(tlsTo("nginx", "nginx.shop.svc.cluster.local")),
      /VirtualService shop\/secure names the host but Istio rejects it: spec\.tls\[0\]\.match\[0\]\.sniHosts "nginx\.shop\.svc\.cluster\.local" is not a subset/,
    );
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway() + vs(tlsTo()).replace("  gateways: [gw]\n", ""),
      /no VirtualService for host "secure\.example\.com" applies on gateway shop\/gw: VirtualService shop\/secure names the host but spec\.gateways is \["mesh"\]/,
    );
  });
  it("grades destination and port: a wrong host, a port the Service lacks, an unset port on a multi-port Service", async () => {
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway() + vs(tlsTo("web")),
      /nginx gets 0%, expected 100%.*"web" \(web\.shop\.svc\.cluster\.local\) gets 100%, expected 0%/,
    );
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx("[{ name: https, port: 8443 }]") + gateway() + vs(tlsTo()),
      /route\[0\]\.destination\.port\.number is 443, but Service shop\/nginx has no port 443 \(it has 8443\), so the connection fails/,
    );
    await expectFail(
      "virtualservice.tls-route",
      { ...params, destinationPort: 8443 },
      ingress +
        nginx("[{ name: https, port: 8443 }, { name: http, port: 8080 }]") +
        gateway() +
        vs("  tls:\n  - match: [{ sniHosts: [secure.example.com] }]\n    route: [{ destination: { host: nginx } }]\n"),
      /destination\.port\.number is unset, so the connection goes to port 443, expected 8443/,
    );
  });
  it("needs a server host that admits the VirtualService's namespace (ns/host)", async () => {
    await expectPass(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway(undefined, undefined, "[shop/secure.example.com]") + vs(tlsTo()),
    );
    await expectFail(
      "virtualservice.tls-route",
      params,
      ingress + nginx() + gateway(undefined, undefined, "[other/secure.example.com]") + vs(tlsTo()),
      /no server of Gateway shop\/gw accepts secure\.example\.com from namespace shop \(its hosts are "other\/secure\.example\.com"\)/,
    );
  });
  it("the most specific sniHost wins across rules", async () => {
    await expectPass(
      "virtualservice.tls-route",
      params,
      ingress +
        nginx() +
        nginx().replaceAll("nginx", "web") +
        gateway("{ mode: PASSTHROUGH }", "TLS", "['*.example.com']") +
        vs(tlsTo("web", "'*.example.com'") + tlsTo("nginx").replace("  tls:\n", ""), "['*.example.com']"),
    );
  });
  it("grades the sidecars' tls routes when no gateway is given", async () => {
    const mesh = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: nginx, namespace: shop }
spec:
  hosts: [nginx.shop.svc.cluster.local]
  tls:
  - match: [{ port: 443, sniHosts: [nginx.shop.svc.cluster.local] }]
    route: [{ destination: { host: nginx-v2, port: { number: 443 } } }]
---
`;
    const meshParams = {
      sni: "nginx.shop.svc.cluster.local",
      host: "nginx",
      namespace: "shop",
      port: 443,
      expect: { "nginx-v2": 100 },
    };
    await expectPass("virtualservice.tls-route", meshParams, nginx() + nginx().replaceAll("nginx", "nginx-v2") + mesh);
    // Istio compares sniHosts with the hosts as written: a short host does not cover its FQDN
    await expectFail(
      "virtualservice.tls-route",
      meshParams,
      nginx() + mesh.replace("hosts: [nginx.shop.svc.cluster.local]", "hosts: [nginx]"),
      /Istio rejects it: spec\.tls\[0\]\.match\[0\]\.sniHosts "nginx\.shop\.svc\.cluster\.local" is not a subset of any of the VirtualService's hosts \["nginx"\]/,
    );
    await expectFail(
      "virtualservice.tls-route",
      { ...meshParams, sni: "other.example.com" },
      nginx() + mesh,
      /no tls rule of VirtualService shop\/nginx matches SNI other\.example\.com from namespace shop, so sidecars send it to "nginx"/,
    );
  });
  it("at the sidecars: any TLS or HTTPS Service port, a match port with the client's port omitted; not a TCP port", async () => {
    const mesh = `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: nginx, namespace: shop }
spec:
  hosts: [nginx.shop.svc.cluster.local]
  tls:
  - match: [{ port: 443, sniHosts: [nginx.shop.svc.cluster.local] }]
    route: [{ destination: { host: nginx-v2.shop.svc.cluster.local } }]
---
`;
    const meshParams = {
      sni: "nginx.shop.svc.cluster.local",
      host: "nginx",
      namespace: "shop",
      expect: { "nginx-v2": 100 },
    };
    const v2 = nginx().replaceAll("nginx", "nginx-v2");
    // no client port given: the match on the Service's TLS port 443 applies
    await expectPass("virtualservice.tls-route", meshParams, nginx() + v2 + mesh);
    // appProtocol tls declares the protocol whatever the port's name
    await expectPass(
      "virtualservice.tls-route",
      { ...meshParams, port: 443 },
      nginx("[{ name: secure, appProtocol: tls, port: 443 }]") + v2 + mesh,
    );
    // a TCP (or undeclared) port: the sidecars never read the SNI there, tls rules do not apply
    await expectFail(
      "virtualservice.tls-route",
      { ...meshParams, port: 443 },
      nginx("[{ name: tcp, port: 443 }]") + v2 + mesh,
      /Service shop\/nginx port 443 has protocol TCP \(name "tcp"\): sidecars apply tls rules only on TLS or HTTPS ports/,
    );
    await expectFail(
      "virtualservice.tls-route",
      meshParams,
      nginx("[{ port: 443 }]") + v2 + mesh,
      /Service shop\/nginx has no TLS or HTTPS port \(port 443 has no declared protocol/,
    );
  });
  it("at the sidecars for an external host: the ServiceEntry port's protocol must be TLS or HTTPS", async () => {
    const se = (protocol: string) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ext, namespace: shop }
spec:
  hosts: [api.example.com]
  ports: [{ number: 443, name: tls, protocol: ${protocol} }]
  resolution: DNS
---
`;
    const vsExt = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ext, namespace: shop }
spec:
  hosts: [api.example.com]
  tls:
  - match: [{ port: 443, sniHosts: [api.example.com] }]
    route: [{ destination: { host: api.example.com, port: { number: 443 } } }]
---
`;
    const extParams = { sni: "api.example.com", namespace: "shop", port: 443, expect: { "api.example.com": 100 } };
    await expectPass("virtualservice.tls-route", extParams, se("TLS") + vsExt);
    await expectPass("virtualservice.tls-route", extParams, se("HTTPS") + vsExt);
    await expectFail(
      "virtualservice.tls-route",
      extParams,
      se("TCP") + vsExt,
      /ServiceEntry shop\/ext port 443 has protocol TCP: sidecars apply tls rules only on TLS or HTTPS ports/,
    );
  });
});

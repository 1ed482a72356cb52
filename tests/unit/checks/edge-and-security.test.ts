import { describe, it } from "vitest";
import { meshConfigMap } from "../yaml-objects";
import { expectFail, expectPass, helloworld } from "./harness";

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

describe("serviceentry.host and sidecar.egress", () => {
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
  const sidecar = (egress: string, name = "default", selector = "") => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name} }
spec:
${selector}  egress: [{ hosts: ${egress} }]
  outboundTrafficPolicy: { mode: REGISTRY_ONLY }
---
`;
  it("sidecar", async () => {
    await expectPass(
      "sidecar.egress",
      { namespace: "shop", hosts: ["./*", "istio-system/*"], outboundTrafficPolicy: "REGISTRY_ONLY" },
      sidecar('["shop/*", "istio-system/*"]'),
    );
    await expectPass(
      "sidecar.egress",
      { namespace: "shop", hosts: ["./httpbin.shop.svc.cluster.local"] },
      sidecar('["./*"]') + sidecar('["*/*"]', "other", "  workloadSelector: { labels: { app: x } }\n"),
    );
    await expectFail(
      "sidecar.egress",
      { namespace: "shop", hosts: ["istio-system/*"] },
      sidecar('["./*"]'),
      /lack istio-system\/\*/,
    );
    await expectFail(
      "sidecar.egress",
      { namespace: "shop", hosts: ["./*"], onlyThese: true },
      sidecar('["./*", "*/*"]'),
      /also allows \*\/\*/,
    );
    await expectFail(
      "sidecar.egress",
      { namespace: "shop" },
      sidecar('["./*"]', "a") + sidecar('["./*"]', "b"),
      /IST0111/,
    );
    await expectFail("sidecar.egress", { namespace: "shop" }, "", /no Sidecar without workloadSelector/);
  });
  it("sidecar: an unset outboundTrafficPolicy takes the mesh's mode (default ALLOW_ANY)", async () => {
    const plain = sidecar('["./*"]').replace("  outboundTrafficPolicy: { mode: REGISTRY_ONLY }\n", "");
    await expectPass("sidecar.egress", { namespace: "shop", outboundTrafficPolicy: "ALLOW_ANY" }, plain);
    await expectPass(
      "sidecar.egress",
      { namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" },
      plain + meshConfigMap("outboundTrafficPolicy: { mode: REGISTRY_ONLY }"),
    );
    await expectFail(
      "sidecar.egress",
      { namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" },
      plain,
      /outboundTrafficPolicy\.mode is unset \(the mesh's ALLOW_ANY applies\), expected REGISTRY_ONLY/,
    );
  });
});

const pa = (name: string, ns: string, spec: string, created = "") => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ""} }
spec: ${spec}
---
`;

describe("peerauthentication.mtls", () => {
  it("mesh-wide: one selector-less policy in the root namespace; the oldest wins", async () => {
    await expectPass(
      "peerauthentication.mtls",
      { scope: "mesh", mode: "STRICT" },
      pa("default", "istio-system", "{ mtls: { mode: STRICT } }"),
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "mesh", mode: "STRICT" },
      pa("default", "shop", "{ mtls: { mode: STRICT } }"),
      /root namespace istio-system/,
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "mesh", mode: "STRICT" },
      pa("old", "istio-system", "{ mtls: { mode: PERMISSIVE } }", "2024-01-01T00:00:00Z") +
        pa("new", "istio-system", "{ mtls: { mode: STRICT } }", "2024-02-01T00:00:00Z"),
      /PeerAuthentication istio-system\/old spec\.mtls\.mode is PERMISSIVE, expected STRICT \(newer PeerAuthentication istio-system\/new is ignored\)/,
    );
  });
  it("reads an empty selector as no selector (namespace-wide), as Istio does", async () => {
    await expectPass(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("default", "shop", "{ selector: { matchLabels: {} }, mtls: { mode: STRICT } }"),
    );
    await expectPass(
      "peerauthentication.mtls",
      { scope: "mesh", mode: "STRICT" },
      pa("default", "istio-system", "{ selector: {}, mtls: { mode: STRICT } }"),
    );
  });
  it("namespace scope; UNSET inherits from the mesh", async () => {
    await expectPass(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("default", "shop", "{ mtls: { mode: STRICT } }"),
    );
    await expectPass(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("mesh", "istio-system", "{ mtls: { mode: STRICT } }") + pa("default", "shop", "{}"),
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("default", "shop", "{}"),
      /unset \(inherits PERMISSIVE\)/,
    );
  });
  it("workload scope with port exceptions", async () => {
    const w = pa(
      "httpbin",
      "shop",
      "{ selector: { matchLabels: { app: httpbin } }, mtls: { mode: STRICT }, portLevelMtls: { 8080: { mode: DISABLE } } }",
    );
    await expectPass(
      "peerauthentication.mtls",
      {
        scope: "workload",
        namespace: "shop",
        selector: { app: "httpbin", version: "v1" },
        mode: "STRICT",
        portLevelMtls: { "8080": "DISABLE" },
      },
      w,
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "httpbin" }, portLevelMtls: { "9000": "DISABLE" } },
      w,
      /portLevelMtls\[9000\]\.mode is unset \(inherits STRICT\), expected DISABLE/,
    );
    // A port with mode UNSET (or no mode) inherits the workload's effective mode, and that the namespace's and the mesh's.
    await expectPass(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "httpbin" }, portLevelMtls: { "8080": "STRICT" } },
      pa("mesh", "istio-system", "{ mtls: { mode: STRICT } }") +
        pa(
          "httpbin",
          "shop",
          "{ selector: { matchLabels: { app: httpbin } }, portLevelMtls: { 8080: { mode: UNSET }, 9090: {} } }",
        ),
    );
    await expectPass(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "httpbin" }, portLevelMtls: { "9090": "DISABLE" } },
      pa("ns", "shop", "{ mtls: { mode: DISABLE } }") +
        pa("httpbin", "shop", "{ selector: { matchLabels: { app: httpbin } }, portLevelMtls: { 9090: {} } }"),
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "httpbin" }, portLevelMtls: { "8080": "STRICT" } },
      pa(
        "httpbin",
        "shop",
        "{ selector: { matchLabels: { app: httpbin } }, portLevelMtls: { 8080: { mode: UNSET } } }",
      ),
      /portLevelMtls\[8080\]\.mode is UNSET \(inherits PERMISSIVE\), expected STRICT/,
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "other" } },
      w,
      /selects workloads labelled app=other/,
    );
  });
});

const ap = (name: string, spec: string, ns = "shop") => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec: ${spec}
---
`;

describe("authorization policies", () => {
  it("deny-all accepts {} and DENY with an empty rule", async () => {
    await expectPass("authorizationpolicy.deny-all", { namespace: "shop" }, ap("deny-all", "{}"));
    await expectPass(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-all", "{ action: DENY, rules: [{}] }"),
    );
    await expectPass(
      "authorizationpolicy.deny-all",
      { namespace: "shop", selector: { app: "httpbin" } },
      ap("deny-httpbin", "{ selector: { matchLabels: { app: httpbin } } }"),
    );
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("allow-all", "{ rules: [{}] }"),
      /found AuthorizationPolicy shop\/allow-all \(ALLOW with 1 rules\)/,
    );
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-httpbin", "{ selector: { matchLabels: { app: httpbin } } }"),
      /no AuthorizationPolicy in namespace shop denies all/,
    );
  });
  it("deny-all fails when another ALLOW policy lets requests through, and counts mesh-wide policies", async () => {
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("allow-nothing", "{}") + ap("allow-get", "{ rules: [{ to: [{ operation: { methods: [GET] } }] }] }"),
      /AuthorizationPolicy shop\/allow-nothing allows nothing, but ALLOW policy AuthorizationPolicy shop\/allow-get lets matching requests through/,
    );
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop", selector: { app: "httpbin" } },
      ap("allow-nothing", "{}") + ap("allow-httpbin", "{ selector: { matchLabels: { app: httpbin } }, rules: [{}] }"),
      /lets matching requests through/,
    );
    // An ALLOW policy for another workload does not open this one.
    await expectPass(
      "authorizationpolicy.deny-all",
      { namespace: "shop", selector: { app: "httpbin" } },
      ap("allow-nothing", "{}") + ap("allow-web", "{ selector: { matchLabels: { app: web } }, rules: [{}] }"),
    );
    // DENY runs before ALLOW: a DENY with an empty rule wins over any ALLOW.
    await expectPass(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-all", "{ action: DENY, rules: [{}] }") + ap("allow-all", "{ rules: [{}] }"),
    );
    // A policy in the root namespace applies mesh-wide.
    await expectPass("authorizationpolicy.deny-all", { namespace: "shop" }, ap("deny-all", "{}", "istio-system"));
    await expectFail(
      "authorizationpolicy.deny-all",
      { namespace: "shop" },
      ap("deny-all", "{}", "istio-system") + ap("allow-all", "{ rules: [{}] }"),
      /lets matching requests through/,
    );
  });
  it("decision grades what the policies do, however they are written", async () => {
    const request = { principal: "cluster.local/ns/shop/sa/sleep", method: "GET", path: "/get" };
    const p = { namespace: "shop", workloadLabels: { app: "httpbin" }, request };
    const viaPrincipal =
      ap("deny", "{}") +
      ap(
        "allow",
        '{ rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/sleep"] } }], to: [{ operation: { methods: [GET] } }] }] }',
      );
    const viaNamespace =
      ap("deny", "{}") +
      ap(
        "allow",
        "{ selector: { matchLabels: { app: httpbin } }, rules: [{ from: [{ source: { namespaces: [shop] } }] }] }",
      );
    await expectPass("authorizationpolicy.decision", { ...p, expect: "allow" }, viaPrincipal);
    await expectPass("authorizationpolicy.decision", { ...p, expect: "allow" }, viaNamespace);
    await expectPass(
      "authorizationpolicy.decision",
      { ...p, request: { ...request, method: "POST" }, expect: "deny" },
      viaPrincipal,
    );
    await expectFail(
      "authorizationpolicy.decision",
      { ...p, request: { principal: "cluster.local/ns/other/sa/x" }, expect: "allow" },
      viaPrincipal,
      /is denied, expected allow: no rule of the ALLOW policies/,
    );
    await expectFail("authorizationpolicy.decision", { ...p, expect: "deny" }, "", /is allowed, expected deny/);
  });
  it("requestauthentication.jwt", async () => {
    const ra = `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: istio-system }
spec:
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://example.com/jwks.json
    audiences: [app]
---
`;
    await expectPass(
      "requestauthentication.jwt",
      {
        namespace: "shop",
        issuer: "testing@secure.istio.io",
        jwksUri: "https://example.com/jwks.json",
        audiences: ["app"],
      },
      ra,
    );
    await expectFail(
      "requestauthentication.jwt",
      { namespace: "shop", issuer: "testing@secure.istio.io", jwksUri: "https://other/jwks.json" },
      ra,
      /jwksUri is "https:\/\/example\.com\/jwks\.json", expected https:\/\/other/,
    );
    await expectFail(
      "requestauthentication.jwt",
      { namespace: "shop", issuer: "other" },
      ra,
      /no RequestAuthentication covering namespace shop has a jwtRule for issuer other \(found RequestAuthentication istio-system\/jwt spec\.jwtRules\[0\]\.issuer/,
    );
  });
});

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

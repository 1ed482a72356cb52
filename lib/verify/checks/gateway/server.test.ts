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
  "apiVersion: v1\nkind: Pod\nmetadata: { name: igw, namespace: istio-system, labels: { istio: ingressgateway, app: istio-ingressgateway } }\nspec: { containers: [{ name: istio-proxy, args: [proxy, router] }] }\n---\n";
/** The default profile's ingress gateway as the live cluster has it: Deployment and Service in istio-system. */
const ingressGateway = `apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingressgateway, namespace: istio-system }
spec:
  selector: { matchLabels: { app: istio-ingressgateway, istio: ingressgateway } }
  template:
    metadata: { labels: { app: istio-ingressgateway, istio: ingressgateway } }
    spec: { containers: [{ name: istio-proxy, args: [proxy, router], ports: [{ name: http2, containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: istio-ingressgateway, namespace: istio-system }
spec:
  selector: { app: istio-ingressgateway, istio: ingressgateway }
  ports:
  - { name: status-port, port: 15021, targetPort: 15021 }
  - { name: http2, port: 80, targetPort: http2 }
  - { name: https, port: 443, targetPort: 8443 }
---
`;
const helloworld =
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: helloworld, namespace: shop }\nspec:\n  template:\n    metadata: { labels: { app: helloworld } }\n    spec: { containers: [{ name: helloworld }] }\n---\n";
const secret = (namespace: string, data = "{ tls.crt: Y2VydA==, tls.key: a2V5 }", name = "hello-cert") =>
  `apiVersion: v1\nkind: Secret\nmetadata: { name: ${name}, namespace: ${namespace} }\ntype: Opaque\ndata: ${data}\n---\n`;

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
      ingressPod +
        ingressGateway +
        secret("istio-system") +
        gateway(https, "{ istio: ingressgateway, app: istio-ingressgateway }"),
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
      /spec\.selector istio=ingressgateway,app=other selects no gateway workload/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "other", port: 80 },
      gateway(http),
      /no Gateway \(networking\.istio\.io\) in namespace other/,
    );
  });

  it("needs a selector that selects a gateway workload, not an application's pods (issue #13)", async () => {
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 80 },
      helloworld + gateway(http, "{ app: helloworld }"),
      /Gateway shop\/gw spec\.selector app=helloworld selects no gateway workload/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 80 },
      ingressGateway + gateway(http, "{ istio: ingress }"),
      /spec\.selector istio=ingress selects no gateway workload \(Deployment istio-system\/istio-ingressgateway has/,
    );
    // another selector that selects the same gateway pods is the same answer
    await expectPass(
      "gateway.server",
      { namespace: "shop", selector: { istio: "ingressgateway" }, port: 80 },
      ingressGateway + gateway(http, "{ app: istio-ingressgateway }"),
    );
    await expectPass(
      "gateway.server",
      { namespace: "shop", selector: { istio: "ingressgateway" }, port: 80 },
      gateway(http, "{ app: istio-ingressgateway }"),
    );
  });
  it("grades any Gateway when the task leaves its name and namespace free", async () => {
    const elsewhere = gateway(http).replace("metadata: { name: gw }", "metadata: { name: public, namespace: edge }");
    await expectPass(
      "gateway.server",
      { selector: { istio: "ingressgateway" }, port: 80, hosts: ["x.example.com"] },
      elsewhere,
    );
  });
  it("needs the server's port exposed by the gateway's Service, written as its port or its targetPort", async () => {
    const on = (port: number) =>
      gateway(`  - port: { number: ${port}, name: http, protocol: HTTP }\n    hosts: ['*']\n`);
    await expectPass("gateway.server", { namespace: "shop", port: 80 }, ingressGateway + on(8080));
    await expectPass("gateway.server", { namespace: "shop", port: 80 }, on(8080));
    await expectFail(
      "gateway.server",
      { namespace: "shop", protocol: "HTTP" },
      ingressGateway + on(8081),
      /spec\.servers\[0\]: port\.number 8081 is neither a port nor a targetPort of the gateway's Service \(Service istio-system\/istio-ingressgateway ports 15021, 80→8080, 443→8443\)/,
    );
    await expectFail("gateway.server", { namespace: "shop", port: 8081 }, on(8081), /port\.number 8081 is neither/);
  });
  it("needs the credentialName Secret in the gateway workload's namespace, where SDS reads it", async () => {
    const params = { namespace: "shop", port: 443, tls: { mode: "SIMPLE", credentialName: "hello-cert" } };
    await expectPass("gateway.server", params, ingressGateway + secret("istio-system") + gateway(https));
    await expectFail(
      "gateway.server",
      params,
      ingressGateway + secret("shop") + gateway(https),
      /tls\.credentialName hello-cert: no Secret hello-cert in namespace istio-system, where the gateway workload \(Deployment istio-system\/istio-ingressgateway\) reads it \(there is Secret shop\/hello-cert, which it never reads\)/,
    );
  });
  it("knows a gateway deployed by injection (inject.istio.io/templates: gateway) in an app namespace", async () => {
    const own = `apiVersion: apps/v1
kind: Deployment
metadata: { name: egress, namespace: shop }
spec:
  template:
    metadata:
      annotations: { inject.istio.io/templates: gateway }
      labels: { istio: shop-egress, sidecar.istio.io/inject: "true" }
    spec: { containers: [{ name: istio-proxy, image: auto }] }
---
apiVersion: v1
kind: Service
metadata: { name: egress, namespace: shop }
spec:
  selector: { istio: shop-egress }
  ports: [{ name: http, port: 80 }]
---
`;
    await expectPass(
      "gateway.server",
      { namespace: "shop", selector: { istio: "shop-egress" }, port: 80 },
      own + gateway(http, "{ istio: shop-egress }"),
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", selector: { istio: "shop-egress" }, port: 80 },
      own + ingressGateway + gateway(http),
      /selects Deployment istio-system\/istio-ingressgateway, not the gateway asked for \(istio=shop-egress: Deployment shop\/egress\)/,
    );
  });
  it("reads a tls block without mode as PASSTHROUGH, and accepts any of several modes", async () => {
    const noMode = gateway(
      "  - port: { number: 443, name: https, protocol: HTTPS }\n    hosts: [hello.example.com]\n    tls: { credentialName: hello-cert }\n",
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 443, tls: { mode: "SIMPLE" } },
      noMode,
      /tls\.mode is unset, which means PASSTHROUGH, expected SIMPLE/,
    );
    await expectPass("gateway.server", { namespace: "shop", port: 443, tls: { mode: "PASSTHROUGH" } }, noMode);
    await expectPass(
      "gateway.server",
      { namespace: "shop", port: 443, protocol: ["TLS", "HTTPS"], tls: { mode: "PASSTHROUGH" } },
      noMode,
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 443, protocol: ["TLS", "TCP"] },
      noMode,
      /port\.protocol is "HTTPS", expected TLS or TCP/,
    );
    await expectPass(
      "gateway.server",
      { namespace: "shop", port: 443, tls: { mode: ["SIMPLE", "MUTUAL"], credentialName: "hello-cert" } },
      gateway(https),
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 443, tls: { mode: ["SIMPLE", "MUTUAL"] } },
      noMode,
      /expected SIMPLE or MUTUAL/,
    );
  });
  it("needs a certificate and key in the credential, and the client CA for MUTUAL (ca.crt, cacert or <name>-cacert)", async () => {
    const simple = { namespace: "shop", port: 443, tls: { mode: "SIMPLE", credentialName: "hello-cert" } };
    const mutual = { namespace: "shop", port: 443, tls: { mode: "MUTUAL", credentialName: "hello-cert" } };
    const mutualGw = gateway(https.replace("mode: SIMPLE", "mode: MUTUAL"));
    await expectPass(
      "gateway.server",
      simple,
      ingressGateway + secret("istio-system", "{ cert: Y2VydA==, key: a2V5 }") + gateway(https),
    );
    await expectFail(
      "gateway.server",
      simple,
      ingressGateway + secret("istio-system", "{ tls.crt: Y2VydA== }") + gateway(https),
      /Secret istio-system\/hello-cert holds no certificate and key \(tls\.crt and tls\.key, or cert and key; it has tls\.crt\)/,
    );
    await expectFail(
      "gateway.server",
      mutual,
      ingressGateway + secret("istio-system") + mutualGw,
      /tls\.mode MUTUAL needs the CA that signs client certificates: Secret istio-system\/hello-cert has no ca\.crt or cacert \(it has tls\.crt, tls\.key\) and there is no Secret hello-cert-cacert/,
    );
    await expectPass(
      "gateway.server",
      mutual,
      ingressGateway + secret("istio-system", "{ tls.crt: Y2VydA==, tls.key: a2V5, ca.crt: Y2E= }") + mutualGw,
    );
    await expectPass(
      "gateway.server",
      mutual,
      ingressGateway +
        secret("istio-system") +
        secret("istio-system", "{ cacert: Y2E= }", "hello-cert-cacert") +
        mutualGw,
    );
    // the -cacert Secret wins when it exists, even if the credential holds a ca.crt too
    await expectFail(
      "gateway.server",
      mutual,
      ingressGateway +
        secret("istio-system", "{ tls.crt: Y2VydA==, tls.key: a2V5, ca.crt: Y2E= }") +
        secret("istio-system", "{ ca.pem: Y2E= }", "hello-cert-cacert") +
        mutualGw,
      /Secret istio-system\/hello-cert-cacert has no ca\.crt or cacert \(it has ca\.pem\) \(Istio reads the client CA from hello-cert-cacert since it exists\)/,
    );
    // stringData, as written in a file, counts
    await expectPass(
      "gateway.server",
      simple,
      ingressGateway +
        "apiVersion: v1\nkind: Secret\nmetadata: { name: hello-cert, namespace: istio-system }\nstringData: { tls.crt: x, tls.key: y }\n---\n" +
        gateway(https),
    );
  });
  it("fails a Gateway Istio's validation refuses, naming the server and field", async () => {
    const params = { namespace: "shop", port: 443, protocol: "HTTPS", hosts: ["hello.example.com"] };
    await expectFail(
      "gateway.server",
      params,
      gateway("  - port: { number: 443, name: https, protocol: HTTPS }\n    hosts: [hello.example.com]\n"),
      /Gateway shop\/gw is refused by Istio's validation: spec\.servers\[0\] has protocol HTTPS but no tls \(HTTPS and TLS servers need TLS settings\)/,
    );
    await expectFail(
      "gateway.server",
      params,
      gateway(
        "  - port: { number: 443, name: https, protocol: HTTPS }\n    hosts: [hello.example.com]\n    tls: { mode: SIMPLE }\n",
      ),
      /spec\.servers\[0\]\.tls has mode SIMPLE but no credentialName \(nor serverCertificate and privateKey\)/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 80, protocol: "HTTP", httpsRedirect: true },
      gateway(
        "  - port: { number: 80, name: http, protocol: HTTP }\n    hosts: ['*']\n    tls: { mode: SIMPLE, credentialName: hello-cert, httpsRedirect: true }\n",
      ),
      /spec\.servers\[0\] has protocol HTTP and tls\.mode SIMPLE \(a plain HTTP server may only carry httpsRedirect\)/,
    );
    await expectFail(
      "gateway.server",
      { namespace: "shop", port: 31400 },
      gateway(
        "  - port: { number: 31400, name: tcp, protocol: TCP }\n    hosts: ['*']\n    tls: { mode: PASSTHROUGH }\n",
      ),
      /spec\.servers\[0\] has protocol TCP and a tls block \(only HTTPS, TLS and HTTP servers may have one\)/,
    );
    // the graded server is right, but a copied second server repeats its port name: Istio refuses the whole Gateway
    await expectFail(
      "gateway.server",
      params,
      gateway(https + http.replace("name: http,", "name: https,")),
      /spec\.servers\[1\]\.port\.name "https" repeats spec\.servers\[0\]'s \(port names in servers must be unique\)/,
    );
  });
  it("passes other spellings: v1beta1, ns/host and ./host server hosts, credentialName kubernetes://name", async () => {
    await expectPass(
      "gateway.server",
      {
        namespace: "shop",
        port: 443,
        protocol: "HTTPS",
        hosts: ["hello.example.com"],
        tls: { mode: "SIMPLE", credentialName: "hello-cert" },
      },
      ingressGateway +
        secret("istio-system") +
        gateway(
          https
            .replace("[hello.example.com]", "[shop/hello.example.com, ./other.example.com]")
            .replace("credentialName: hello-cert", "credentialName: kubernetes://hello-cert"),
        ).replace("networking.istio.io/v1", "networking.istio.io/v1beta1"),
    );
  });
});

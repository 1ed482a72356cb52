import { describe, expect, it } from "vitest";
import { meshConfigMap } from "../yaml-objects";
import { expectFail, expectPass, grade, gradeLive, helloworld } from "./harness";

describe("mesh.field", () => {
  it("applies defaults: absent keys read as Istio's defaults, not false", async () => {
    const cm = meshConfigMap("defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012");
    await expectPass("mesh.field", { path: "enablePrometheusMerge", equals: true }, cm);
    await expectPass("mesh.field", { path: "accessLogFile", equals: "" }, cm);
    await expectPass("mesh.field", { path: "outboundTrafficPolicy.mode", equals: "ALLOW_ANY" }, cm);
    await expectFail(
      "mesh.field",
      { path: "accessLogFile", equals: "/dev/stdout" },
      cm,
      /accessLogFile is "" \(Istio's default; the key is absent\), expected "\/dev\/stdout"/,
    );
  });
  it("reads written values, revisions, and compares loosely", async () => {
    const cm =
      meshConfigMap(
        "accessLogFile: /dev/stdout\naccessLogEncoding: JSON\nconnectTimeout: 10.0s\noutboundTrafficPolicy: { mode: REGISTRY_ONLY }",
      ) + meshConfigMap("accessLogFile: /tmp/x", "istio-canary");
    await expectPass("mesh.field", { path: "accessLogFile", equals: "/dev/stdout" }, cm);
    await expectPass("mesh.field", { path: "accessLogEncoding", oneOf: ["JSON"] }, cm);
    await expectPass("mesh.field", { path: "connectTimeout", equals: "10s" }, cm);
    await expectPass("mesh.field", { path: "outboundTrafficPolicy", equals: { mode: "REGISTRY_ONLY" } }, cm);
    await expectPass("mesh.field", { path: "accessLogFile", revision: "canary", equals: "/tmp/x" }, cm);
    await expectFail("mesh.field", { path: "accessLogEncoding", notEquals: "JSON" }, cm, /expected anything else/);
  });
  it("fails when the ConfigMap is missing", async () => {
    await expectFail(
      "mesh.field",
      { path: "accessLogFile", equals: "" },
      "",
      /ConfigMap istio-system\/istio not found \(is Istio installed\?\)/,
    );
  });
});

const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: ${labels} }\n---\n`;

describe("namespace checks", () => {
  it("namespace.injection", async () => {
    await expectPass("namespace.injection", { namespace: "app" }, ns("{ istio-injection: enabled }"));
    await expectPass("namespace.injection", { namespace: "app" }, ns("{ istio.io/rev: canary }"));
    await expectPass("namespace.injection", { namespace: "app", revision: "canary" }, ns("{ istio.io/rev: canary }"));
    await expectPass(
      "namespace.injection",
      { namespace: "app", enabled: false },
      ns("{ istio-injection: disabled, istio.io/rev: canary }"),
    );
    await expectFail(
      "namespace.injection",
      { namespace: "app" },
      ns("{ istio-injection: enabled, istio.io/rev: canary }"),
      /IST0123/,
    );
    await expectFail(
      "namespace.injection",
      { namespace: "app" },
      ns("{ istio-injection: 'true' }"),
      /only "enabled" injects/,
    );
    await expectFail(
      "namespace.injection",
      { namespace: "app", revision: "canary" },
      ns("{ istio-injection: enabled }"),
      /expected istio\.io\/rev=canary/,
    );
    await expectFail("namespace.injection", { namespace: "missing" }, "", /Namespace missing not found/);
  });
  it("namespace.labels", async () => {
    await expectPass(
      "namespace.labels",
      { namespace: "app", labels: { "istio.io/dataplane-mode": "ambient", "istio-injection": null } },
      ns("{ istio.io/dataplane-mode: ambient }"),
    );
    await expectFail(
      "namespace.labels",
      { namespace: "app", labels: { "istio-injection": null } },
      ns("{ istio-injection: enabled }"),
      /istio-injection must be absent/,
    );
  });
});

const deployment = (
  name: string,
  templateLabels: string,
  containers = "[{ name: app }]",
  annotations = "{}",
) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: app }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: ${templateLabels}, annotations: ${annotations} }
    spec: { containers: ${containers} }
---
`;
const pod = (name: string, containers: string, annotations = "{}") =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: app, labels: { app: web }, annotations: ${annotations} }\nspec: { containers: ${containers} }\nstatus: { phase: Running }\n---\n`;

describe("injection checks", () => {
  it("pods.injected reads pods when there are some", async () => {
    await expectPass(
      "pods.injected",
      { namespace: "app", selector: { app: "web" } },
      pod("a", "[{ name: app }, { name: istio-proxy }]"),
    );
    await expectFail(
      "pods.injected",
      { namespace: "app" },
      pod("a", "[{ name: app }, { name: istio-proxy }]") + pod("b", "[{ name: app }]"),
      /1 of 2 pods lack the istio-proxy sidecar: Pod app\/b .*rollout restart/,
    );
    await expectPass("pods.injected", { namespace: "app", injected: false }, pod("b", "[{ name: app }]"));
  });
  it("pods.injected predicts from templates when there are no pods", async () => {
    await expectPass(
      "pods.injected",
      { namespace: "app" },
      ns("{ istio-injection: enabled }") + deployment("web", "{ app: web }"),
    );
    await expectFail(
      "pods.injected",
      { namespace: "app" },
      ns("{}") + deployment("web", "{ app: web }"),
      /would not get the sidecar \(namespace has neither/,
    );
    await expectFail(
      "pods.injected",
      { namespace: "app", selector: { app: "none" } },
      ns("{}"),
      /no pods or Deployments labelled app=none/,
    );
  });
  it("deployment.injection: opt-out by template label", async () => {
    const world =
      ns("{ istio-injection: enabled }") +
      deployment("legacy", '{ app: legacy, sidecar.istio.io/inject: "false" }') +
      deployment("web", "{ app: web }");
    await expectPass("deployment.injection", { namespace: "app", name: "legacy", injected: false }, world);
    await expectPass("deployment.injection", { namespace: "app", name: "web", injected: true }, world);
    await expectFail(
      "deployment.injection",
      { namespace: "app", name: "web", injected: false },
      world,
      /get the sidecar: namespace label istio-injection=enabled/,
    );
  });
  it("deployment.kube-injected", async () => {
    await expectPass(
      "deployment.kube-injected",
      { namespace: "app", name: "web" },
      deployment("web", "{ app: web }", "[{ name: app }, { name: istio-proxy }]", '{ sidecar.istio.io/status: "{}" }'),
    );
    await expectFail(
      "deployment.kube-injected",
      { namespace: "app", name: "web" },
      deployment("web", "{ app: web }"),
      /istioctl kube-inject/,
    );
  });
  it("pods.prometheus-merge", async () => {
    const merged = pod(
      "a",
      "[{ name: istio-proxy }]",
      '{ prometheus.io/port: "15020", prometheus.io/path: /stats/prometheus }',
    );
    const own = pod("b", "[{ name: istio-proxy }]", '{ prometheus.io/port: "8080" }');
    await expectPass("pods.prometheus-merge", { namespace: "app", merged: true }, merged);
    await expectPass("pods.prometheus-merge", { namespace: "app", merged: false }, own);
    await expectFail(
      "pods.prometheus-merge",
      { namespace: "app", merged: false },
      merged,
      /prometheus\.io\/port=15020/,
    );
  });
});

describe("ingress", () => {
  const cls =
    "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: istio }\nspec: { controller: istio.io/ingress-controller }\n---\n";
  const ing = (extra: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
${extra}
  rules:
  - host: web.example.com
    http:
      paths: [{ path: /status, pathType: Prefix, backend: { service: { name: web, port: { number: 8000 } } } }]
---
`;
  it("ingressclass.istio", async () => {
    await expectPass("ingressclass.istio", {}, cls);
    await expectFail(
      "ingressclass.istio",
      {},
      cls.replace("istio.io/ingress-controller", "k8s.io/ingress-nginx"),
      /expected istio\.io\/ingress-controller/,
    );
  });
  it("ingress.istio", async () => {
    const p = {
      namespace: "shop",
      host: "web.example.com",
      path: "/status/200",
      backend: { service: "web", port: 8000 },
    };
    await expectPass("ingress.istio", p, cls + ing("  ingressClassName: istio"));
    await expectFail(
      "ingress.istio",
      p,
      ing("  ingressClassName: istio"),
      /not served by Istio: ingressClassName istio names no IngressClass .* STRICT/,
    );
    await expectPass(
      "ingress.istio",
      p,
      meshConfigMap("ingressControllerMode: DEFAULT") + ing("  ingressClassName: istio"),
    );
    await expectFail(
      "ingress.istio",
      { ...p, backend: { service: "other" } },
      cls + ing("  ingressClassName: istio"),
      /has no rule for host web\.example\.com, path \/status\/200 and backend other/,
    );
  });
  it("ingress.istio reads ImplementationSpecific paths as Istio does: x/* and x.* are prefixes, others exact", async () => {
    const p = { namespace: "shop", host: "web.example.com", path: "/status/200", backend: { service: "web" } };
    const impl = (path: string) =>
      cls +
      ing("  ingressClassName: istio").replace(
        "path: /status, pathType: Prefix",
        `path: "${path}", pathType: ImplementationSpecific`,
      );
    await expectPass("ingress.istio", p, impl("/status/*"));
    await expectPass("ingress.istio", p, impl("/status.*"));
    await expectPass("ingress.istio", p, impl("/*"));
    await expectPass("ingress.istio", { ...p, path: "/status" }, impl("/status"));
    await expectFail("ingress.istio", p, impl("/status"), /has no rule for host web\.example\.com, path \/status\/200/);
  });
});

describe("gateway api", () => {
  const gw = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gateway }
spec:
  gatewayClassName: istio
  listeners: [{ name: http, port: 80, protocol: HTTP }]
---
`;
  const route = (rules: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web }
spec:
  parentRefs: [{ name: gateway }]
  hostnames: [web.example.com]
  rules:
${rules}
---
`;
  const weighted = "  - backendRefs: [{ name: web-v1, port: 80, weight: 9 }, { name: web-v2, port: 80, weight: 1 }]";
  it("gatewayapi.gateway", async () => {
    await expectPass("gatewayapi.gateway", { namespace: "shop", listeners: [{ port: 80, protocol: "http" }] }, gw);
    await expectFail("gatewayapi.gateway", { namespace: "shop", listeners: [{ port: 443 }] }, gw, /lack/);
    await expectFail(
      "gatewayapi.gateway",
      { namespace: "shop", gatewayClassName: "other" },
      gw,
      /gatewayClassName is "istio", expected other/,
    );
  });
  it("httproute.backends grades effective shares and specificity", async () => {
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "web-v1": 90, "web-v2": 10 } },
      gw + route(weighted),
    );
    await expectPass(
      "httproute.backends",
      {
        namespace: "shop",
        parent: "shop/gateway",
        hostname: "web.example.com",
        expect: { "web-v1": 50, "web-v2": 50 },
      },
      route("  - backendRefs: [{ name: web-v1 }, { name: web-v2 }]"),
    );
    const byPath = route(
      `  - backendRefs: [{ name: web-v1 }]\n  - matches: [{ path: { type: PathPrefix, value: /api } }]\n    backendRefs: [{ name: web-v2 }]`,
    );
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", request: { path: "/api/x" }, expect: { "web-v2": 100 } },
      byPath,
    );
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", request: { path: "/apix" }, expect: { "web-v1": 100 } },
      byPath,
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "web-v1": 100 } },
      route(weighted),
      /web-v1 gets 90%, expected 100%/,
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "other", expect: { "web-v1": 100 } },
      route(weighted),
      /attached to Gateway shop\/other/,
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", hostname: "x.example.com", expect: { a: 1 } },
      route(weighted),
      /serves hostname x\.example\.com/,
    );
  });
  it("httproute.backends reads an expected ns/name in the route's namespace as the plain name", async () => {
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "shop/web-v1": 90, "web-v2": 10 } },
      route(weighted),
    );
    await expectPass(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "shop/web-v1": 90, "shop/web-v2": 10 } },
      route(weighted.replace("{ name: web-v1,", "{ name: web-v1, namespace: shop,")),
    );
    await expectFail(
      "httproute.backends",
      { namespace: "shop", parent: "gateway", expect: { "other/web-v1": 90, "web-v2": 10 } },
      route(weighted),
      /other\/web-v1 gets 0%, expected 90%; web-v1 gets 90%, expected 0%/,
    );
  });
  it("gatewayapi.gateway-programmed is skipped without a data plane", async () => {
    const r = await grade("gatewayapi.gateway-programmed", { namespace: "shop", name: "gateway" }, gw);
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(/needs a data plane/);
  });
});

describe("VM workloads", () => {
  const wg = `apiVersion: networking.istio.io/v1
kind: WorkloadGroup
metadata: { name: legacy }
spec:
  metadata: { labels: { app: legacy } }
  template: { serviceAccount: legacy, network: vm-net }
  probe: { httpGet: { port: 8080, path: /ready } }
---
`;
  const we = `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: vm1 }
spec: { address: 10.0.0.5, labels: { app: legacy }, serviceAccount: legacy }
---
apiVersion: v1
kind: Service
metadata: { name: legacy }
spec: { selector: { app: legacy }, ports: [{ name: http, port: 8080 }] }
---
`;
  it("workloadgroup.exists", async () => {
    await expectPass(
      "workloadgroup.exists",
      { namespace: "shop", labels: { app: "legacy" }, serviceAccount: "legacy", network: "vm-net", probe: true },
      wg,
    );
    await expectFail(
      "workloadgroup.exists",
      { namespace: "shop", serviceAccount: "other" },
      wg,
      /template\.serviceAccount is "legacy", expected other/,
    );
  });
  it("workloadentry.exists", async () => {
    await expectPass(
      "workloadentry.exists",
      { namespace: "shop", address: "10.0.0.5", labels: { app: "legacy" }, service: "legacy" },
      we,
    );
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", service: "legacy" },
      we.replace("selector: { app: legacy }", "selector: { app: other }"),
      /does not select its labels/,
    );
    await expectFail(
      "workloadentry.exists",
      { namespace: "shop", address: "10.0.0.6" },
      we,
      /spec\.address is "10\.0\.0\.5", expected 10\.0\.0\.6/,
    );
  });
});

describe("workloads and generic checks", () => {
  it("deployment.ready, daemonset.ready and gateway-programmed read status on a live cluster", async () => {
    const status = (kind: string, name: string, st: string) =>
      `apiVersion: ${kind === "Gateway" ? "gateway.networking.k8s.io/v1" : "apps/v1"}\nkind: ${kind}\nmetadata: { name: ${name}, namespace: istio-system }\nspec: { replicas: 2 }\nstatus: ${st}\n---\n`;
    const world =
      status("Deployment", "istiod", "{ availableReplicas: 2 }") +
      status("Deployment", "half", "{ availableReplicas: 1 }") +
      status("DaemonSet", "ztunnel", "{ desiredNumberScheduled: 3, numberReady: 3 }") +
      status("DaemonSet", "cni", "{ desiredNumberScheduled: 3, numberReady: 1 }") +
      status("Gateway", "gw", "{ conditions: [{ type: Programmed, status: 'True' }] }") +
      status(
        "Gateway",
        "pending",
        "{ conditions: [{ type: Programmed, status: 'False', message: waiting for controller }] }",
      );
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ["deployment.ready", { namespace: "istio-system", name: "istiod" }, "pass", /2 available replicas/],
      [
        "deployment.ready",
        { namespace: "istio-system", name: "half" },
        "fail",
        /1 available replicas, expected at least 2/,
      ],
      ["deployment.ready", { namespace: "istio-system", name: "half", minAvailable: 1 }, "pass", /1 available/],
      ["deployment.ready", { namespace: "istio-system", name: "gone" }, "fail", /not found/],
      ["daemonset.ready", { namespace: "istio-system", name: "ztunnel" }, "pass", /all 3 pods ready/],
      ["daemonset.ready", { namespace: "istio-system", name: "cni" }, "fail", /1 of 3 pods ready/],
      ["gatewayapi.gateway-programmed", { namespace: "istio-system", name: "gw" }, "pass", /is Programmed/],
      [
        "gatewayapi.gateway-programmed",
        { namespace: "istio-system", name: "pending" },
        "fail",
        /waiting for controller/,
      ],
    ];
    for (const [use, params, want, message] of cases) {
      const r = await gradeLive(use, params, world);
      expect(`${use} ${r.status}`, r.message).toBe(`${use} ${want}`);
      expect(r.message).toMatch(message);
    }
  });
  it("deployment.ready needs a live cluster", async () => {
    const r = await grade("deployment.ready", { namespace: "shop", name: "helloworld-v1" }, helloworld());
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(/manifests read from files carry no status/);
  });
  it("service.ports", async () => {
    await expectPass("service.ports", { namespace: "shop", name: "helloworld" }, helloworld());
    const bad =
      "apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ name: web, port: 15001 }, { port: 80, appProtocol: http }] }\n";
    await expectFail(
      "service.ports",
      { namespace: "shop", name: "s" },
      bad,
      /spec\.ports\[0\]\.name is "web"/,
      /port 15001 is reserved/,
    );
  });
  it("object.exists and object.field", async () => {
    const world = helloworld();
    await expectPass("object.exists", { kind: "Deployment", namespace: "shop", labels: { version: "v2" } }, world);
    await expectPass(
      "object.exists",
      { kind: "StatefulSet", apiVersion: "apps/v1", namespace: "shop", absent: true },
      world,
    );
    await expectFail(
      "object.exists",
      { kind: "Deployment", namespace: "shop", name: "nope" },
      world,
      /no Deployment shop\/nope/,
    );
    await expectPass(
      "object.field",
      { kind: "Deployment", namespace: "shop", name: "helloworld-v1", path: "spec.replicas", equals: "1" },
      world,
    );
    await expectPass(
      "object.field",
      { kind: "Deployment", namespace: "shop", path: "spec.template.metadata.labels.version", equals: "v2" },
      world,
    );
    await expectPass(
      "object.field",
      { kind: "Service", namespace: "shop", name: "helloworld", path: "spec.ports", contains: [{ name: "http" }] },
      world,
    );
    await expectPass(
      "object.field",
      { kind: "Namespace", name: "shop", path: "metadata.labels['istio-injection']", equals: "enabled" },
      world,
    );
    await expectFail(
      "object.field",
      { kind: "Deployment", namespace: "shop", name: "helloworld-v1", path: "spec.replicas", equals: 3 },
      world,
      /Deployment shop\/helloworld-v1 spec\.replicas is 1, expected 3/,
    );
    await expectFail(
      "object.field",
      { kind: "Service", namespace: "shop", name: "helloworld", path: "spec.type", exists: true },
      world,
      /expected it set/,
    );
  });
  it("object.field notEquals (e.g. not running as UID 1337)", async () => {
    const d =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec: { template: { spec: { securityContext: { runAsUser: 1337 } } } }\n";
    const p = {
      kind: "Deployment",
      namespace: "shop",
      name: "app",
      path: "spec.template.spec.securityContext.runAsUser",
      notEquals: 1337,
    };
    await expectFail("object.field", p, d, /is 1337, expected anything else/);
    await expectPass("object.field", p, d.replace("1337", "1000"));
  });
  it("rejects kinds it cannot read as invalid parameters", async () => {
    const ambiguous = await grade("object.exists", { kind: "Gateway" }, "");
    expect(ambiguous.status).toBe("error");
    expect(ambiguous.message).toMatch(/ambiguous/);
    const unknown = await grade("object.exists", { kind: "Widget" }, "");
    expect(unknown.message).toMatch(/give its apiVersion/);
  });
});

import { describe, it } from "vitest";
import { meshConfigMap } from "../../../../tests/unit/yaml-objects";
import { expectFail, expectPass } from "../test-harness";
import { istioIngressClass } from "../test-objects";

const webService = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 8000, targetPort: 8080 }, { name: admin, port: 9000 }]
---
`;
const webIngress = (extra: string, port = "{ number: 8000 }") => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
${extra}
  rules:
  - host: web.example.com
    http:
      paths: [{ path: /status, pathType: Prefix, backend: { service: { name: web, port: ${port} } } }]
---
`;
const p = {
  namespace: "shop",
  host: "web.example.com",
  path: "/status/200",
  backend: { service: "web", port: 8000 },
};

describe("ingress.istio", () => {
  it("ingress.istio", async () => {
    await expectPass("ingress.istio", p, istioIngressClass + webService + webIngress("  ingressClassName: istio"));
    await expectFail(
      "ingress.istio",
      p,
      webService + webIngress("  ingressClassName: istio"),
      /not served by Istio: spec\.ingressClassName istio names no IngressClass .* STRICT/,
    );
    await expectPass(
      "ingress.istio",
      p,
      meshConfigMap("ingressControllerMode: DEFAULT") + webService + webIngress("  ingressClassName: istio"),
    );
    await expectFail(
      "ingress.istio",
      { ...p, backend: { service: "other" } },
      istioIngressClass + webService + webIngress("  ingressClassName: istio"),
      /Ingress shop\/web sends host web\.example\.com and path \/status\/200 to Service web \(spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.name\), expected other/,
    );
  });
  it("ingress.istio reads ImplementationSpecific paths as Istio does: x/* and x.* are prefixes, others exact", async () => {
    const q = { namespace: "shop", host: "web.example.com", path: "/status/200", backend: { service: "web" } };
    const impl = (path: string) =>
      istioIngressClass +
      webService +
      webIngress("  ingressClassName: istio").replace(
        "path: /status, pathType: Prefix",
        `path: "${path}", pathType: ImplementationSpecific`,
      );
    await expectPass("ingress.istio", q, impl("/status/*"));
    await expectPass("ingress.istio", q, impl("/status.*"));
    await expectPass("ingress.istio", q, impl("/*"));
    await expectPass("ingress.istio", { ...q, path: "/status" }, impl("/status"));
    await expectFail(
      "ingress.istio",
      q,
      impl("/status"),
      /has no path that matches host web\.example\.com and path \/status\/200/,
    );
  });
  it("ingress.istio resolves backend port.name through the Service's named ports, as Istio's conversion does", async () => {
    const world = (port: string) => istioIngressClass + webService + webIngress("  ingressClassName: istio", port);
    await expectPass("ingress.istio", p, world("{ name: http }"));
    await expectPass("ingress.istio", { ...p, backend: { service: "web", port: "http" } }, world("{ number: 8000 }"));
    await expectFail(
      "ingress.istio",
      p,
      world("{ name: admin }"),
      /to Service web port 9000 \(spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.port\), expected port 8000/,
    );
    await expectFail(
      "ingress.istio",
      p,
      world("{ name: web }"),
      /routes .* nowhere: spec\.rules\[0\]\.http\.paths\[0\]\.backend port\.name web names no port of Service web .* drops the path/,
    );
    await expectFail(
      "ingress.istio",
      p,
      world("{ number: 80 }"),
      /port 80, where requests fail with 503: spec\.rules\[0\]\.http\.paths\[0\]\.backend port\.number 80 is not a port of Service web \(it has 8000 \(http\), 9000 \(admin\)\)/,
    );
  });
  it("ingress.istio lets the most specific path win, as Istio orders the routes", async () => {
    const twoPaths = (istioIngressClass + webService + webIngress("  ingressClassName: istio")).replace(
      "paths: [",
      "paths: [{ path: /, pathType: Prefix, backend: { service: { name: other, port: { number: 80 } } } }, ",
    );
    await expectPass("ingress.istio", p, twoPaths);
    await expectFail(
      "ingress.istio",
      p,
      twoPaths.replace("path: /status,", "path: /stat,"),
      /sends host web\.example\.com and path \/status\/200 to Service other port 80, where requests fail with 503: spec\.rules\[0\]\.http\.paths\[0\]\.backend Service other does not exist/,
    );
  });
  it("ingress.istio gives an Ingress with no class the default IngressClass when graded from files", async () => {
    const defaultClass = istioIngressClass.replace(
      "metadata: { name: istio }",
      'metadata: { name: istio, annotations: { ingressclass.kubernetes.io/is-default-class: "true" } }',
    );
    await expectPass("ingress.istio", p, defaultClass + webService + webIngress(""));
    await expectFail(
      "ingress.istio",
      p,
      istioIngressClass + webService + webIngress(""),
      /no spec\.ingressClassName \(and no default IngressClass\) and no kubernetes\.io\/ingress\.class annotation/,
    );
    // The annotation keeps the admission from writing a class: the annotation decides.
    await expectFail(
      "ingress.istio",
      p,
      defaultClass +
        webService +
        webIngress("").replace("name: web }", "name: web, annotations: { kubernetes.io/ingress.class: nginx } }"),
      /annotation kubernetes\.io\/ingress\.class: nginx is not the mesh ingressClass/,
    );
  });
  it("ingress.istio does not grade an Ingress at an API version Kubernetes no longer serves", async () => {
    await expectFail(
      "ingress.istio",
      p,
      istioIngressClass +
        webService +
        webIngress("  ingressClassName: istio").replace("networking.k8s.io/v1", "networking.k8s.io/v1beta1"),
      /Ingress shop\/web is not graded: apiVersion networking\.k8s\.io\/v1beta1 is no longer served/,
    );
  });
  it("ingress.istio merges the rules of every Ingress Istio serves, per host, as Istio does", async () => {
    const other = (path: string, host = "web.example.com") => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: aaa-other, namespace: edge, creationTimestamp: "2020-01-01T00:00:00Z" }
spec:
  ingressClassName: istio
  rules:
  - host: ${host}
    http:
      paths: [{ path: ${path}, pathType: Prefix, backend: { service: { name: other, port: { number: 80 } } } }]
---
`;
    const base = istioIngressClass + webService + webIngress("  ingressClassName: istio");
    await expectFail(
      "ingress.istio",
      p,
      base.replace("path: /status,", "path: /,") + other("/status"),
      /Ingress shop\/web does not get host web\.example\.com and path \/status\/200: Ingress edge\/aaa-other spec\.rules\[0\]\.http\.paths\[0\] \(path \/status, Prefix\) takes it first/,
    );
    await expectPass("ingress.istio", p, base + other("/"));
    await expectPass("ingress.istio", p, base + other("/status", "api.example.com"));
    await expectFail(
      "ingress.istio",
      p,
      base.replace("  - host: web.example.com\n", "  - http:\n").replace("    http:\n      paths", "      paths") +
        other("/api"),
      /has no rule for host web\.example\.com .*Istio serves host web\.example\.com from Ingress edge\/aaa-other/,
    );
  });
});

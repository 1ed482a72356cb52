import { describe, expect, it } from "vitest";
import { object, objects } from "../../tests/unit/yaml-objects";
import { decideIngress } from "./ingress";

const ingress = (annotations: string, className?: string) =>
  object(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: i, namespace: shop, annotations: ${annotations} }
spec:
${className ? `  ingressClassName: ${className}` : "  rules: []"}`);
const classes = objects(`apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: istio }
spec: { controller: istio.io/ingress-controller }
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: nginx }
spec: { controller: k8s.io/ingress-nginx }`);

describe("which Ingresses Istio serves", () => {
  it("serves the annotation equal to the mesh ingressClass, in STRICT and DEFAULT", () => {
    expect(decideIngress(ingress('{ "kubernetes.io/ingress.class": istio }'), classes, {}).handled).toBe(true);
    expect(
      decideIngress(ingress('{ "kubernetes.io/ingress.class": nginx }'), classes, { ingressControllerMode: "DEFAULT" })
        .handled,
    ).toBe(false);
    expect(
      decideIngress(ingress('{ "kubernetes.io/ingress.class": custom }'), classes, { ingressClass: "custom" }).handled,
    ).toBe(true);
  });
  it("otherwise follows the IngressClass controller", () => {
    expect(decideIngress(ingress("{}", "istio"), classes, {}).handled).toBe(true);
    expect(decideIngress(ingress("{}", "nginx"), classes, { ingressControllerMode: "DEFAULT" }).handled).toBe(false);
  });
  it("with neither, serves only in DEFAULT mode", () => {
    expect(decideIngress(ingress("{}"), classes, {}).handled).toBe(false);
    expect(decideIngress(ingress("{}"), classes, { ingressControllerMode: "DEFAULT" }).handled).toBe(true);
    expect(decideIngress(ingress("{}", "missing"), classes, { ingressControllerMode: "DEFAULT" }).handled).toBe(true);
  });
  it("serves nothing when OFF", () => {
    expect(
      decideIngress(ingress('{ "kubernetes.io/ingress.class": istio }'), classes, { ingressControllerMode: "OFF" })
        .handled,
    ).toBe(false);
  });
});

describe("the default IngressClass", () => {
  const defaultClasses = objects(`apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: istio, annotations: { ingressclass.kubernetes.io/is-default-class: "true" } }
spec: { controller: istio.io/ingress-controller }`);
  it("is given, from files only, to an Ingress with neither ingressClassName nor the class annotation", () => {
    expect(decideIngress(ingress("{}"), defaultClasses, {}, { fromFiles: true }).handled).toBe(true);
    expect(decideIngress(ingress("{}"), defaultClasses, {}).handled).toBe(false);
    expect(
      decideIngress(ingress('{ "kubernetes.io/ingress.class": nginx }'), defaultClasses, {}, { fromFiles: true })
        .handled,
    ).toBe(false);
  });
});

// Test helper: YAML of objects the tests of more than one kind of check build on.
import { readFileSync } from "node:fs";
import path from "node:path";

const SAMPLES = path.resolve(import.meta.dirname, "../../cluster/samples");

/** Istio's helloworld sample (Service helloworld, Deployments v1 and v2) and its labelled namespace, shop. */
export function helloworld(): string {
  const sample = readFileSync(path.join(SAMPLES, "helloworld.yaml"), "utf8");
  return `${sample}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { istio-injection: enabled }\n---\n`;
}

/** Namespace `app` with these labels (YAML flow map). */
export const appNamespace = (labels: string) =>
  `apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: ${labels} }\n---\n`;

/** A Deployment in namespace `app`. */
export const appDeployment = (
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

/** A running Pod labelled app=web in namespace `app`. */
export const webPod = (name: string, containers: string, annotations = "{}") =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: app, labels: { app: web }, annotations: ${annotations} }\nspec: { containers: ${containers} }\nstatus: { phase: Running }\n---\n`;

/** An object in istio-system with 2 replicas and this status, as a live cluster reports it. */
export const withStatus = (kind: string, name: string, status: string) =>
  `apiVersion: ${kind === "Gateway" ? "gateway.networking.k8s.io/v1" : "apps/v1"}\nkind: ${kind}\nmetadata: { name: ${name}, namespace: istio-system }\nspec: { replicas: 2 }\nstatus: ${status}\n---\n`;

/** IngressClass istio, served by Istio. */
export const istioIngressClass =
  "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: istio }\nspec: { controller: istio.io/ingress-controller }\n---\n";

/** Gateway API Gateway `gateway` of class istio with an HTTP listener on port 80. */
export const apiGateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gateway }
spec:
  gatewayClassName: istio
  listeners: [{ name: http, port: 80, protocol: HTTP }]
---
`;

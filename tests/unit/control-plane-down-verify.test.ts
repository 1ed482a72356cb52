// The custom checks of scenario control-plane-down (scenarios/control-plane-down/verify.ts): the
// injector webhooks a new pod meets must reach istiod and fail closed.
import { describe, expect, it } from "vitest";
import { FileCluster, parseManifests } from "../../lib/cluster/file-cluster";
import type { KubeObject } from "../../lib/cluster/types";
import { runChecks } from "../../lib/verify/engine";
import type { CheckResult } from "../../lib/verify/types";
import { injectionWebhookFailsClosed, injectionWebhookReachesIstiod } from "../../scenarios/control-plane-down/verify";

const custom = new Map([
  ["injectionWebhookReachesIstiod", injectionWebhookReachesIstiod],
  ["injectionWebhookFailsClosed", injectionWebhookFailsClosed],
]);
const params = { namespace: "lab", podLabels: { app: "orders" } };

async function grade(fn: string, yaml: string): Promise<CheckResult> {
  const { objects, errors } = parseManifests(yaml, "<test>", "lab");
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("\n"));
  const [r] = await runChecks(new FileCluster(objects as KubeObject[]), [{ id: fn, fn, with: params }], custom);
  return r;
}

async function expectResult(fn: string, yaml: string, status: string, ...patterns: RegExp[]): Promise<void> {
  const r = await grade(fn, yaml);
  expect(r.status, r.message).toBe(status);
  for (const p of patterns) expect(r.message).toMatch(p);
}

const namespace = `apiVersion: v1
kind: Namespace
metadata: { name: lab, labels: { istio-injection: enabled } }
---
`;

const istiod = `apiVersion: apps/v1
kind: Deployment
metadata: { name: istiod, namespace: istio-system, labels: { app: istiod, istio.io/rev: default } }
spec:
  selector: { matchLabels: { app: istiod, istio: pilot } }
  template:
    metadata: { labels: { app: istiod, istio: pilot, istio.io/rev: default } }
    spec:
      containers:
        - name: discovery
          image: pilot
          ports: [{ containerPort: 15017, name: https-webhooks }]
---
`;

const service = (name: string, selector = "{ app: istiod, istio: pilot }", targetPort: string | number = 15017) =>
  `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: istio-system }
spec:
  selector: ${selector}
  ports: [{ name: https-webhook, port: 443, targetPort: ${targetPort} }]
---
`;

/** A webhook configuration with one webhook for istio-injection=enabled, and optionally the deactivated one. */
const tagWebhook = (clientConfig: string, failurePolicy?: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: { name: istio-revision-tag-default, labels: { istio.io/rev: default, istio.io/tag: default } }
webhooks:
  - name: rev.namespace.sidecar-injector.istio.io
    clientConfig: { service: { name: istiod, namespace: istio-system, path: /inject, port: 443 } }
    namespaceSelector: { matchExpressions: [{ key: istio.io/rev, operator: In, values: [default] }] }
  - name: namespace.sidecar-injector.istio.io
    clientConfig: ${clientConfig}
${failurePolicy ? `    failurePolicy: ${failurePolicy}\n` : ""}    namespaceSelector: { matchExpressions: [{ key: istio-injection, operator: In, values: [enabled] }] }
    objectSelector: { matchExpressions: [{ key: sidecar.istio.io/inject, operator: NotIn, values: ["false"] }] }
---
`;
const toService = (name: string) => `{ service: { name: ${name}, namespace: istio-system, path: /inject, port: 443 } }`;

const deactivated = `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: { name: istio-sidecar-injector, labels: { istio.io/rev: default } }
webhooks:
  - name: namespace.sidecar-injector.istio.io
    clientConfig: { service: { name: istiod, namespace: istio-system, path: /inject, port: 443 } }
    failurePolicy: Fail
    namespaceSelector: { matchLabels: { istio.io/deactivated: never-match } }
    objectSelector: { matchLabels: { istio.io/deactivated: never-match } }
---
`;

describe("injectionWebhookReachesIstiod", () => {
  const fn = "injectionWebhookReachesIstiod";
  it("passes a webhook calling Service istiod, port 443 to 15017", async () => {
    const world = namespace + istiod + service("istiod") + tagWebhook(toService("istiod")) + deactivated;
    await expectResult(
      fn,
      world,
      "pass",
      /webhooks\[1\] \(namespace.sidecar-injector.istio.io\) calls Service istio-system\/istiod port 443, which reaches Deployment istio-system\/istiod/,
    );
  });
  it("passes any Service that reaches istiod, also by the named target port, and a URL of <svc>.<ns>.svc", async () => {
    const other = service("istiod-revision-tag-default", "{ app: istiod, istio.io/rev: default }", "https-webhooks");
    await expectResult(fn, namespace + istiod + other + tagWebhook(toService("istiod-revision-tag-default")), "pass");
    const url = '{ url: "https://istiod.istio-system.svc:443/inject" }';
    await expectResult(fn, namespace + istiod + service("istiod") + tagWebhook(url), "pass");
  });
  it("fails a webhook calling a Service that does not exist, naming the field", async () => {
    const world = namespace + istiod + service("istiod") + tagWebhook(toService("istiod-canary")) + deactivated;
    await expectResult(
      fn,
      world,
      "fail",
      /MutatingWebhookConfiguration istio-revision-tag-default \(revision tag default\) webhooks\[1\]/,
      /calls Service istio-system\/istiod-canary, which does not exist \(webhooks\[1\].clientConfig.service.name\)/,
    );
  });
  it("fails a Service that selects no istiod, or sends the port elsewhere", async () => {
    const elsewhere = service("istiod-old", "{ app: istiod-old }");
    await expectResult(
      fn,
      namespace + istiod + elsewhere + tagWebhook(toService("istiod-old")),
      "fail",
      /selects no istiod pods/,
    );
    const wrongPort = service("istiod", undefined, 15010);
    await expectResult(
      fn,
      namespace + istiod + wrongPort + tagWebhook(toService("istiod")),
      "fail",
      /targets 15010, not istiod's webhook port 15017/,
    );
  });
  it("fails when no injector webhook matches the pods (only the deactivated one is left)", async () => {
    await expectResult(
      fn,
      namespace + istiod + service("istiod") + deactivated,
      "fail",
      /no sidecar-injector webhook .* matches new pods app=orders of namespace lab/,
    );
  });
});

describe("injectionWebhookFailsClosed", () => {
  const fn = "injectionWebhookFailsClosed";
  it("passes failurePolicy Fail, written or left unset", async () => {
    await expectResult(fn, namespace + tagWebhook(toService("istiod"), "Fail"), "pass", /have failurePolicy Fail/);
    await expectResult(fn, namespace + tagWebhook(toService("istiod")), "pass");
  });
  it("fails Ignore, naming the webhook and the field, and ignores webhooks that never match", async () => {
    await expectResult(
      fn,
      namespace + tagWebhook(toService("istiod"), "Ignore") + deactivated,
      "fail",
      /istio-revision-tag-default \(revision tag default\) webhooks\[1\] \(namespace.sidecar-injector.istio.io\) failurePolicy is Ignore, expected Fail/,
    );
  });
});

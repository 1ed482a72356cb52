// Test objects for the revision checks: the injector webhooks and istiod Services as
// `istioctl install` (with and without --set revision) and `istioctl tag set` create them.

const svcName = (rev: string): string => (rev === "default" ? "istiod" : `istiod-${rev}`);

export const istiodService = (rev: string): string => `apiVersion: v1
kind: Service
metadata: { name: ${svcName(rev)}, namespace: istio-system, labels: { app: istiod, istio.io/rev: ${rev} } }
spec: { ports: [{ port: 443 }] }
---
`;

const hook = (name: string, rev: string, ns: string, obj: string): string => `  - name: ${name}
    clientConfig: { service: { name: ${svcName(rev)}, namespace: istio-system, path: /inject, port: 443 } }
    namespaceSelector: ${ns}
    objectSelector: ${obj}
`;

/** The webhooks that serve `istio.io/rev=<value>` (a revision or a tag) and send pods to `rev`'s istiod. */
const revHooks = (value: string, rev: string): string =>
  hook(
    "rev.namespace.sidecar-injector.istio.io",
    rev,
    `{ matchExpressions: [{ key: istio.io/rev, operator: In, values: [${value}] }, { key: istio-injection, operator: DoesNotExist }] }`,
    `{ matchExpressions: [{ key: sidecar.istio.io/inject, operator: NotIn, values: ["false"] }] }`,
  ) +
  hook(
    "rev.object.sidecar-injector.istio.io",
    rev,
    `{ matchExpressions: [{ key: istio.io/rev, operator: DoesNotExist }, { key: istio-injection, operator: DoesNotExist }] }`,
    `{ matchExpressions: [{ key: sidecar.istio.io/inject, operator: NotIn, values: ["false"] }, { key: istio.io/rev, operator: In, values: [${value}] }] }`,
  );

/** A revision tag; the tag `default` also serves istio-injection=enabled. */
export const revisionTag = (tag: string, rev: string): string => `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-revision-tag-${tag}
  labels: { app: sidecar-injector, istio.io/rev: ${rev}, istio.io/tag: ${tag} }
webhooks:
${revHooks(tag, rev)}${
  tag === "default"
    ? hook(
        "namespace.sidecar-injector.istio.io",
        rev,
        "{ matchExpressions: [{ key: istio-injection, operator: In, values: [enabled] }] }",
        `{ matchExpressions: [{ key: sidecar.istio.io/inject, operator: NotIn, values: ["false"] }] }`,
      )
    : ""
}---
`;

/** A revision's own injector (a non-default revision serves istio.io/rev=<rev>), with its istiod Service. */
export const revision = (rev: string): string =>
  rev === "default"
    ? `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: { name: istio-sidecar-injector, labels: { app: sidecar-injector, istio.io/rev: default } }
webhooks:
${hook("namespace.sidecar-injector.istio.io", "default", "{ matchLabels: { istio.io/deactivated: never-match } }", "{ matchLabels: { istio.io/deactivated: never-match } }")}---
${revisionTag("default", "default")}${istiodService("default")}`
    : `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: { name: istio-sidecar-injector-${rev}, labels: { app: sidecar-injector, istio.io/rev: ${rev} } }
webhooks:
${revHooks(rev, rev)}---
${istiodService(rev)}`;

export const namespace = (name: string, labels: string): string => `apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }
---
`;

/** A running pod of app web in namespace app, injected by `rev` (none: not injected). */
export const podOf = (name: string, rev?: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: app
  labels: { app: web }
${rev ? `  annotations: { sidecar.istio.io/status: '{"containers":["istio-proxy"],"revision":"${rev}"}' }\n` : ""}spec: { containers: [{ name: app }${rev ? ", { name: istio-proxy }" : ""}] }
status: { phase: Running }
---
`;

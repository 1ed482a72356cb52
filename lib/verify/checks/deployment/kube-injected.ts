// deployment.kube-injected: a Deployment's own template holds the proxy (istioctl kube-inject).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { proxyPresence, STATUS_ANNOTATION, templateOf } from "../../../istio/injection";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";

export const deploymentKubeInjected = defineCheck({
  name: "deployment.kube-injected",
  description:
    "A Deployment's own pod template holds the istio-proxy container, as `istioctl kube-inject` writes it (the webhook only mutates Pods, never the Deployment).",
  params: z.strictObject({ namespace: ZNamespace, name: z.string().min(1) }),
  example: { namespace: "legacy", name: "httpbin" },
  kinds: [K.deployment],
  run(p, { snapshot }) {
    const d = snapshot.get(K.deployment, p.name, p.namespace);
    if (!d) return fail(`Deployment ${p.namespace}/${p.name} not found`);
    const t = templateOf(d);
    const present = proxyPresence(t.spec, t.annotations);
    const evidence = [evidenceOf(d, "spec.template.spec.containers")];
    if (!present.injected)
      return fail(
        `Deployment ${p.namespace}/${p.name} spec.template has ${present.detail}: run istioctl kube-inject on it and apply the result`,
        evidence,
      );
    const status = STATUS_ANNOTATION in t.annotations ? "" : ` (no ${STATUS_ANNOTATION} annotation)`;
    return pass(`Deployment ${p.namespace}/${p.name} spec.template has the ${present.detail}${status}`, evidence);
  },
});

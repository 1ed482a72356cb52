// deployment.injection: whether a Deployment's pods get the sidecar.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { templateOf } from "../../../istio/injection";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";
import { predictInjection } from "../predict-injection";

export const deploymentInjection = defineCheck({
  name: "deployment.injection",
  description:
    "Whether a Deployment's pods get the sidecar, from its pod template (`sidecar.istio.io/inject` label) and its namespace's labels, as the injection webhook decides — or because the template already holds the proxy (kube-inject).",
  params: z.strictObject({ namespace: ZNamespace, name: z.string().min(1), injected: z.boolean() }),
  example: { namespace: "shop", name: "legacy", injected: false },
  kinds: [K.deployment, K.namespace],
  run(p, { snapshot }) {
    const d = snapshot.get(K.deployment, p.name, p.namespace);
    if (!d) return fail(`Deployment ${p.namespace}/${p.name} not found`);
    const v = predictInjection(d, snapshot.get(K.namespace, p.namespace));
    const evidence = [evidenceOf(d, "spec.template.metadata.labels", templateOf(d).labels)];
    const verb = v.injected ? "get" : "do not get";
    if (v.injected !== p.injected)
      return fail(`Deployment ${p.namespace}/${p.name}'s pods ${verb} the sidecar: ${v.reason}`, evidence);
    return pass(`Deployment ${p.namespace}/${p.name}'s pods ${verb} the sidecar: ${v.reason}`, evidence);
  },
});

// deployment.ready: a Deployment has enough available replicas (live clusters only).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { num, rec } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZInt, ZNamespace } from "../common";

export const deploymentReady = defineCheck({
  name: "deployment.ready",
  description:
    "A Deployment has at least `minAvailable` available replicas (default: its spec.replicas, at least 1). Needs a live cluster.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1),
    minAvailable: ZInt.pipe(z.number().min(0)).optional(),
  }),
  example: { namespace: "istio-system", name: "istiod" },
  kinds: [K.deployment],
  requires: ["objectStatus"],
  run(p, { snapshot }) {
    const d = snapshot.get(K.deployment, p.name, p.namespace);
    if (!d) return fail(`Deployment ${p.namespace}/${p.name} not found`);
    const want = p.minAvailable ?? Math.max(num(rec(d.spec).replicas) ?? 1, 1);
    const available = num(rec(d.status).availableReplicas) ?? 0;
    const evidence = [evidenceOf(d, "status.availableReplicas", available)];
    if (available < want)
      return fail(
        `Deployment ${p.namespace}/${p.name} has ${available} available replicas, expected at least ${want}`,
        evidence,
      );
    return pass(`Deployment ${p.namespace}/${p.name} has ${available} available replicas`, evidence);
  },
});

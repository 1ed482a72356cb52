// deployment.ready: a Deployment has enough available replicas (live clusters only).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { describeObject, labelsOf, num, rec, show } from "../../../istio/fields";
import { matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, pass, ZInt, ZLabels, ZNamespace } from "../common";

export const deploymentReady = defineCheck({
  name: "deployment.ready",
  description:
    "A Deployment (by name, or any whose labels match `selector`, so an install that names it otherwise still counts) has at least `minAvailable` available replicas (default: its spec.replicas, at least 1). Needs a live cluster.",
  params: z
    .strictObject({
      namespace: ZNamespace,
      name: z.string().min(1).optional(),
      selector: ZLabels.optional().describe("labels of the Deployment, e.g. { istio: egressgateway }"),
      minAvailable: ZInt.pipe(z.number().min(0)).optional(),
    })
    .refine((p) => (p.name === undefined) !== (p.selector === undefined), "give name or selector"),
  example: { namespace: "istio-system", name: "istiod" },
  kinds: [K.deployment],
  requires: ["objectStatus"],
  run(p, { snapshot }) {
    const deployments = snapshot
      .list(K.deployment, p.namespace)
      .filter((d) => (p.name ? d.metadata.name === p.name : matchesLabels(p.selector ?? {}, labelsOf(d))));
    const which = p.name
      ? `Deployment ${p.namespace}/${p.name} not found`
      : `no Deployment in ${p.namespace} labelled ${show(p.selector)}`;
    return firstPassing(
      deployments,
      (d: KubeObject) => {
        const want = p.minAvailable ?? Math.max(num(rec(d.spec).replicas) ?? 1, 1);
        const available = num(rec(d.status).availableReplicas) ?? 0;
        const evidence = [evidenceOf(d, "status.availableReplicas", available)];
        if (available < want)
          return fail(`${describeObject(d)} has ${available} available replicas, expected at least ${want}`, evidence);
        return pass(`${describeObject(d)} has ${available} available replicas`, evidence);
      },
      which,
    );
  },
});

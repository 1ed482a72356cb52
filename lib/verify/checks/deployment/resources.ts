// deployment.resources: a container of a Deployment's pod template requests or limits amounts of CPU and memory.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { arr, describeObject, labelsOf, rec, show } from "../../../istio/fields";
import { matchesLabels } from "../../../istio/labels";
import { isSameQuantity, parseQuantity } from "../../../istio/quantity";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, pass, ZLabels, ZNamespace } from "../common";

const ZAmounts = z
  .strictObject({
    cpu: z.union([z.string(), z.number()]).optional(),
    memory: z.union([z.string(), z.number()]).optional(),
  })
  .refine(
    (a) => Object.values(a).every((v) => parseQuantity(v) !== undefined),
    "expected quantities like 250m or 512Mi",
  );

export const deploymentResources = defineCheck({
  name: "deployment.resources",
  description:
    "The Deployment (by name, or any matching `selector` labels on the Deployment) has a container (`container`, default the first) whose resources.requests and resources.limits hold these amounts. Amounts compare by value: 1Gi is 1024Mi, 0.5 is 500m.",
  params: z
    .strictObject({
      namespace: ZNamespace,
      name: z.string().min(1).optional(),
      selector: ZLabels.optional().describe("labels of the Deployment, e.g. { app: istiod, istio.io/rev: default }"),
      container: z.string().min(1).optional(),
      requests: ZAmounts.optional(),
      limits: ZAmounts.optional(),
    })
    .refine((p) => (p.name === undefined) !== (p.selector === undefined), "give name or selector")
    .refine((p) => p.requests !== undefined || p.limits !== undefined, "give requests or limits"),
  example: {
    namespace: "istio-system",
    selector: { app: "istiod" },
    container: "discovery",
    requests: { cpu: "250m", memory: "512Mi" },
  },
  kinds: [K.deployment],
  run(p, { snapshot }) {
    const deployments = snapshot
      .list(K.deployment, p.namespace)
      .filter((d) => (p.name ? d.metadata.name === p.name : matchesLabels(p.selector ?? {}, labelsOf(d))));
    const which = p.name
      ? `Deployment ${p.namespace}/${p.name}`
      : `Deployment in ${p.namespace} labelled ${show(p.selector)}`;
    return firstPassing(
      deployments,
      (d: KubeObject) => {
        const containers = arr(rec(rec(rec(d.spec).template).spec).containers);
        const index = p.container ? containers.findIndex((c) => rec(c).name === p.container) : 0;
        if (index < 0 || containers.length === 0)
          return fail(`${describeObject(d)} has no container ${p.container ?? ""}`.trim());
        const path = `spec.template.spec.containers[${index}].resources`;
        const resources = rec(rec(containers[index]).resources);
        for (const part of ["requests", "limits"] as const) {
          for (const [resource, wanted] of Object.entries(p[part] ?? {})) {
            const actual = rec(resources[part])[resource];
            if (!isSameQuantity(actual, wanted))
              return fail(`${describeObject(d)} ${path}.${part}.${resource} is ${show(actual)}, expected ${wanted}`, [
                evidenceOf(d, `${path}.${part}.${resource}`, actual),
              ]);
          }
        }
        return pass(`${describeObject(d)} ${path} holds ${show({ requests: p.requests, limits: p.limits })}`, [
          evidenceOf(d, path, resources),
        ]);
      },
      `no ${which}`,
    );
  },
});

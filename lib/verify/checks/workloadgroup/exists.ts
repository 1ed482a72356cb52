// workloadgroup.exists: a WorkloadGroup, the template VMs register with.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { describeObject, isRec, rec, show, specOf, str, strMap } from "../../../istio/fields";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, noneFound, pass, ZLabels, ZNamespace } from "../common";

export const workloadGroupExists = defineCheck({
  name: "workloadgroup.exists",
  description:
    "A WorkloadGroup whose metadata labels (spec.metadata.labels) include the given ones, with the template's serviceAccount and network, and optionally a readiness probe.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    labels: ZLabels.optional(),
    serviceAccount: z.string().min(1).optional(),
    network: z.string().min(1).optional(),
    probe: z.boolean().optional().describe("true: spec.probe must be set"),
  }),
  example: { namespace: "vm", name: "legacy", labels: { app: "legacy" }, serviceAccount: "legacy", probe: true },
  kinds: [K.workloadGroup],
  run(p, { snapshot }) {
    const groups = listNamed(snapshot, K.workloadGroup, p.namespace, p.name);
    return firstPassing(
      groups,
      (g) => {
        const spec = specOf(g);
        const labels = strMap(rec(spec.metadata).labels);
        const template = rec(spec.template);
        const wrong: string[] = [];
        if (p.labels && !matchesLabels(p.labels, labels))
          wrong.push(`metadata.labels is ${formatLabels(labels)}, expected ${formatLabels(p.labels)}`);
        if (p.serviceAccount && str(template.serviceAccount) !== p.serviceAccount)
          wrong.push(`template.serviceAccount is ${show(template.serviceAccount)}, expected ${p.serviceAccount}`);
        if (p.network && str(template.network) !== p.network)
          wrong.push(`template.network is ${show(template.network)}, expected ${p.network}`);
        if (p.probe === true && !isRec(spec.probe)) wrong.push("probe is unset");
        const evidence = [evidenceOf(g, "spec", spec)];
        if (wrong.length > 0) return fail(`${describeObject(g)} spec.${wrong.join("; spec.")}`, evidence);
        return pass(`${describeObject(g)} matches`, evidence);
      },
      noneFound("WorkloadGroup", p.namespace, p.name),
    );
  },
});

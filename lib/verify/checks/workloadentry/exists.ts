// workloadentry.exists: a WorkloadEntry (one VM), optionally selected by a Service.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { describeObject, labelsOf, rec, show, specOf, str, strMap } from "../../../istio/fields";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, noneFound, pass, ZLabels, ZNamespace } from "../common";

export const workloadEntryExists = defineCheck({
  name: "workloadentry.exists",
  description:
    "A WorkloadEntry with the given address, labels and serviceAccount; optionally a Service (by name) in its namespace whose selector matches the entry's labels, so the VM serves behind it.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    address: z.string().min(1).optional(),
    labels: ZLabels.optional(),
    serviceAccount: z.string().min(1).optional(),
    network: z.string().min(1).optional(),
    service: z.string().min(1).optional().describe("a Service whose selector must select the entry"),
  }),
  example: { namespace: "vm", address: "10.0.0.5", labels: { app: "legacy" }, service: "legacy" },
  kinds: [K.workloadEntry, K.service],
  run(p, { snapshot }) {
    const entries = listNamed(snapshot, K.workloadEntry, p.namespace, p.name);
    const service = p.service ? snapshot.get(K.service, p.service, p.namespace) : undefined;
    if (p.service && !service) return fail(`Service ${p.namespace}/${p.service} not found`);
    return firstPassing(
      entries,
      (e) => {
        const spec = specOf(e);
        const labels = { ...labelsOf(e), ...strMap(spec.labels) };
        const wrong: string[] = [];
        if (p.address && str(spec.address) !== p.address)
          wrong.push(`spec.address is ${show(spec.address)}, expected ${p.address}`);
        if (p.labels && !matchesLabels(p.labels, labels))
          wrong.push(`spec.labels is ${formatLabels(strMap(spec.labels))}, expected ${formatLabels(p.labels)}`);
        if (p.serviceAccount && str(spec.serviceAccount) !== p.serviceAccount)
          wrong.push(`spec.serviceAccount is ${show(spec.serviceAccount)}, expected ${p.serviceAccount}`);
        if (p.network && str(spec.network) !== p.network)
          wrong.push(`spec.network is ${show(spec.network)}, expected ${p.network}`);
        if (service) {
          const selector = strMap(rec(service.spec).selector);
          if (Object.keys(selector).length === 0 || !matchesLabels(selector, labels)) {
            wrong.push(
              `Service ${p.namespace}/${p.service} selector ${formatLabels(selector)} does not select its labels ${formatLabels(labels)}`,
            );
          }
        }
        const evidence = [evidenceOf(e, "spec", spec)];
        if (wrong.length > 0) return fail(`${describeObject(e)}: ${wrong.join("; ")}`, evidence);
        return pass(`${describeObject(e)} matches${service ? ` and Service ${p.service} selects it` : ""}`, evidence);
      },
      noneFound("WorkloadEntry", p.namespace, p.name),
    );
  },
});

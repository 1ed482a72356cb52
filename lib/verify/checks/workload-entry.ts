// VM workloads: WorkloadGroup (template for auto-registration) and WorkloadEntry (one VM).
import { z } from "zod";
import { K } from "../../cluster/kinds";
import { describeObject, isRec, labelsOf, rec, show, specOf, str, strMap } from "../../istio/fields";
import { formatLabels, matchesLabels } from "../../istio/labels";
import { defineCheck } from "../types";
import { evidenceOf, fail, firstPassing, noneFound, pass, ZLabels, ZNamespace } from "./common";

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
    const groups = snapshot
      .list(K.workloadGroup, p.namespace)
      .filter((g) => p.name === undefined || g.metadata.name === p.name);
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
    const entries = snapshot
      .list(K.workloadEntry, p.namespace)
      .filter((e) => p.name === undefined || e.metadata.name === p.name);
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

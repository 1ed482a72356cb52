// workloadentry.exists: a WorkloadEntry (one VM), optionally selected by a Service.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, describeObject, labelsOf, num, rec, show, specOf, str, strMap } from "../../../istio/fields";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, noneFound, pass, ZLabels, ZNamespace, ZPort } from "../common";

export const workloadEntryExists = defineCheck({
  name: "workloadentry.exists",
  description:
    "A WorkloadEntry with the given address, labels (spec.labels, which Istio selects by; metadata.labels do not count) and serviceAccount; optionally a Service (by name) in its namespace whose selector matches the entry's spec.labels, with the given port, so the VM serves behind it (a Kubernetes Service selects only entries whose address is an IP).",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    address: z.string().min(1).optional(),
    labels: ZLabels.optional(),
    serviceAccount: z.string().min(1).optional(),
    network: z.string().min(1).optional(),
    service: z
      .string()
      .min(1)
      .optional()
      .describe("a Service whose selector must select the entry's spec.labels (the entry needs an IP address)"),
    servicePort: ZPort.optional().describe("a port the Service must have"),
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
        // Istio selects a WorkloadEntry by spec.labels only; metadata.labels are the object's own.
        const labels = strMap(spec.labels);
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
          const address = str(spec.address) ?? "";
          if (Object.keys(selector).length === 0 || !matchesLabels(selector, labels)) {
            const metaOnly =
              Object.keys(labels).length === 0 && Object.keys(labelsOf(e)).length > 0
                ? " (Istio matches spec.labels, not metadata.labels)"
                : "";
            wrong.push(
              `Service ${p.namespace}/${p.service} spec.selector ${formatLabels(selector)} does not select its spec.labels ${formatLabels(labels)}${metaOnly}`,
            );
          } else if (!isIpAddress(address)) {
            wrong.push(
              `spec.address ${show(spec.address)} is not an IP address, and a Kubernetes Service selects only WorkloadEntries with an IP (a hostname needs a ServiceEntry with resolution DNS)`,
            );
          }
          if (
            p.servicePort !== undefined &&
            !arr(rec(service.spec).ports).some((x) => num(rec(x).port) === p.servicePort)
          )
            wrong.push(`Service ${p.namespace}/${p.service} spec.ports has no port ${p.servicePort}`);
        }
        const evidence = [evidenceOf(e, "spec", spec)];
        if (wrong.length > 0) return fail(`${describeObject(e)}: ${wrong.join("; ")}`, evidence);
        return pass(`${describeObject(e)} matches${service ? ` and Service ${p.service} selects it` : ""}`, evidence);
      },
      noneFound("WorkloadEntry", p.namespace, p.name),
    );
  },
});

function isIpAddress(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || (h.includes(":") && /^[0-9a-f:.]+$/i.test(h));
}

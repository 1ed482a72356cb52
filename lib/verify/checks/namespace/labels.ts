// namespace.labels: a namespace carries (or lacks) labels.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { labelsOf } from "../../../istio/fields";
import { formatLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";

export const namespaceLabels = defineCheck({
  name: "namespace.labels",
  description: "A namespace carries labels with given values; a value of null means the label must be absent.",
  params: z.strictObject({
    namespace: ZNamespace,
    labels: z.record(z.string(), z.union([z.string(), z.null()])),
  }),
  example: { namespace: "shop", labels: { "istio.io/dataplane-mode": "ambient", "istio-injection": null } },
  kinds: [K.namespace],
  run(p, { snapshot }) {
    const ns = snapshot.get(K.namespace, p.namespace);
    if (!ns) return fail(`Namespace ${p.namespace} not found`);
    const labels = labelsOf(ns);
    const wrong = Object.entries(p.labels)
      .filter(([k, v]) => (v === null ? k in labels : labels[k] !== v))
      .map(([k, v]) =>
        v === null ? `${k} must be absent (is ${labels[k]})` : `${k} is ${labels[k] ?? "absent"}, expected ${v}`,
      );
    const evidence = [evidenceOf(ns, "metadata.labels", labels)];
    if (wrong.length > 0) return fail(`Namespace ${p.namespace} metadata.labels: ${wrong.join("; ")}`, evidence);
    return pass(`Namespace ${p.namespace} has labels ${formatLabels(labels)}`, evidence);
  },
});

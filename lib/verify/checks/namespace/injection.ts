// namespace.injection: whether new pods of a namespace get the sidecar.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { labelsOf } from "../../../istio/fields";
import { formatLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";

export const namespaceInjection = defineCheck({
  name: "namespace.injection",
  description:
    "Sidecar injection for new pods of a namespace: enabled by `istio-injection=enabled`, or by `istio.io/rev=<rev>` when istio-injection is absent. With `revision`, the namespace must use that revision's label. Both labels at once is rejected (IST0123: istio.io/rev is then ignored).",
  params: z.strictObject({
    namespace: ZNamespace,
    enabled: z.boolean().default(true),
    revision: z
      .string()
      .min(1)
      .optional()
      .describe("the revision that must inject (istio.io/rev); `default` also accepts istio-injection=enabled"),
  }),
  example: { namespace: "shop", enabled: true },
  kinds: [K.namespace],
  run(p, { snapshot }) {
    const ns = snapshot.get(K.namespace, p.namespace);
    if (!ns) return fail(`Namespace ${p.namespace} not found`);
    const labels = labelsOf(ns);
    const inj = labels["istio-injection"];
    const rev = labels["istio.io/rev"];
    const evidence = [evidenceOf(ns, "metadata.labels", labels)];
    const shown = `Namespace ${p.namespace} has labels ${formatLabels(labels)}`;
    if (!p.enabled) {
      if (inj === "enabled" || (inj === undefined && rev !== undefined))
        return fail(`${shown}: injection is on, expected off`, evidence);
      return pass(`${shown}: injection is off`, evidence);
    }
    if (inj !== undefined && rev !== undefined)
      return fail(
        `${shown}: both istio-injection and istio.io/rev are set, so istio.io/rev is ignored (IST0123); keep one`,
        evidence,
      );
    if (p.revision !== undefined && p.revision !== "default") {
      if (rev !== p.revision)
        return fail(`${shown}, expected istio.io/rev=${p.revision} (without istio-injection)`, evidence);
      return pass(`${shown}: revision ${p.revision} injects`, evidence);
    }
    if (
      inj === "enabled" ||
      (inj === undefined && rev !== undefined && (p.revision === undefined || rev === "default"))
    ) {
      return pass(`${shown}: injection is on`, evidence);
    }
    const why = inj !== undefined ? ` (istio-injection=${inj}; only "enabled" injects)` : "";
    return fail(`${shown}: injection is off${why}, expected istio-injection=enabled`, evidence);
  },
});

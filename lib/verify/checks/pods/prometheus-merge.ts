// pods.prometheus-merge: Istio's metrics merging on injected pods.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { annotationsOf, describeObject, labelsOf } from "../../../istio/fields";
import { isPodRunningOrPending } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZLabels, ZNamespace } from "../common";

export const podsPrometheusMerge = defineCheck({
  name: "pods.prometheus-merge",
  description:
    'Istio\'s metrics merging on injected pods: merged means prometheus.io/port is 15020 and path /stats/prometheus; not merged means prometheus.io/port is not 15020 (mesh enablePrometheusMerge false, or pod annotation prometheus.istio.io/merge-metrics: "false").',
  params: z.strictObject({ namespace: ZNamespace, selector: ZLabels.optional(), merged: z.boolean() }),
  example: { namespace: "shop", selector: { app: "reviews" }, merged: false },
  kinds: [K.pod],
  run(p, { snapshot }) {
    const pods = snapshot
      .list(K.pod, p.namespace)
      .filter((pod) => isPodRunningOrPending(pod) && matchesLabels(p.selector ?? {}, labelsOf(pod)));
    if (pods.length === 0)
      return fail(`no pods${p.selector ? ` labelled ${formatLabels(p.selector)}` : ""} in namespace ${p.namespace}`);
    const isMerged = (pod: KubeObject): boolean => {
      const a = annotationsOf(pod);
      return a["prometheus.io/port"] === "15020" && a["prometheus.io/path"] === "/stats/prometheus";
    };
    const wrong = pods.filter((pod) =>
      p.merged ? !isMerged(pod) : annotationsOf(pod)["prometheus.io/port"] === "15020",
    );
    const evidence = wrong.map((pod) => evidenceOf(pod, "metadata.annotations", annotationsOf(pod)));
    if (wrong.length > 0) {
      const shown = wrong
        .slice(0, 3)
        .map(
          (pod) =>
            `${describeObject(pod)} has prometheus.io/port=${annotationsOf(pod)["prometheus.io/port"] ?? "unset"}`,
        );
      return fail(
        `metrics are ${p.merged ? "not " : ""}merged on ${wrong.length} of ${pods.length} pods: ${listText(shown)}`,
        evidence,
      );
    }
    return pass(`metrics are ${p.merged ? "" : "not "}merged on all ${pods.length} pods`);
  },
});

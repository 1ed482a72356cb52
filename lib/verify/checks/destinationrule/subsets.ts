// destinationrule.subsets: the DestinationRule a client uses defines subsets that select pods.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { describeObject, labelsOf, rec, strMap } from "../../../istio/fields";
import { parseServiceHost } from "../../../istio/hosts";
import { isPodRunningOrPending, templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck, type Snapshot } from "../../types";
import { evidenceOf, fail, hostParam, listText, pass, ZLabels } from "../common";
import { drKinds, drLabel, noSubset, withDestinationRule, ZDrTarget } from "./context";

/** Pods (running or pending) and workload templates of the Service behind a host. */
function serviceBackends(
  snapshot: Snapshot,
  host: string,
): { service?: KubeObject; labelSets: { labels: Record<string, string>; from: string }[] } {
  const svc = parseServiceHost(host);
  const service = svc ? snapshot.get(K.service, svc.name, svc.namespace) : undefined;
  if (!service || !svc) return { labelSets: [] };
  const selector = strMap(rec(service.spec).selector);
  if (Object.keys(selector).length === 0) return { service, labelSets: [] };
  const pods = snapshot
    .list(K.pod, svc.namespace)
    .filter(isPodRunningOrPending)
    .map((pod) => ({ labels: labelsOf(pod), from: describeObject(pod) }));
  const templates = [...snapshot.list(K.deployment, svc.namespace), ...snapshot.list(K.daemonSet, svc.namespace)].map(
    (w) => ({
      labels: templateOf(w).labels,
      from: `${describeObject(w)}'s pod template`,
    }),
  );
  const labelSets = [...pods, ...templates].filter((s) => matchesLabels(selector, s.labels));
  return { service, labelSets };
}

export const destinationRuleSubsets = defineCheck({
  name: "destinationrule.subsets",
  description:
    "The DestinationRule a client uses for the host defines these subsets, and each subset's labels select pods (or Deployment pod templates) of the host's Service; with expected labels, the same pods those labels select (a subset is what its labels select, whatever the keys).",
  params: ZDrTarget.extend({
    subsets: z
      .union([z.array(z.string().min(1)).min(1), z.record(z.string(), ZLabels)])
      .describe(
        "subset names, or name → pod labels: the subset must select the same pods of the Service as these labels (any keys that do pass), or include them when no pod or pod template of the Service is in sight",
      ),
    selectPods: z
      .boolean()
      .default(true)
      .describe("each subset must select at least one pod or pod template of the Service"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", subsets: ["v1", "v2"] },
  kinds: [...drKinds, K.service, K.pod, K.deployment, K.daemonSet],
  run(p, { snapshot }) {
    return withDestinationRule(p, snapshot, (dr) => {
      const expected: Record<string, Record<string, string>> = Array.isArray(p.subsets)
        ? Object.fromEntries(p.subsets.map((s) => [s, {}]))
        : p.subsets;
      const problems: string[] = [];
      const backends = p.selectPods ? serviceBackends(snapshot, hostParam(p.host, p.namespace).resolved) : undefined;
      for (const [name, labels] of Object.entries(expected)) {
        const subset = dr.subsets.find((s) => s.name === name);
        if (!subset) {
          problems.push(noSubset(dr, name));
          continue;
        }
        const where = `${describeObject(subset.source)} ${subset.path}`;
        // A subset is what its labels select: where the expected labels select pods of the Service,
        // any labels that select exactly those pods pass, whatever their keys.
        const wanted =
          Object.keys(labels).length > 0 ? backends?.labelSets.filter((b) => matchesLabels(labels, b.labels)) : [];
        if (wanted && wanted.length > 0) {
          const selected = backends?.labelSets.filter((b) => matchesLabels(subset.labels, b.labels)) ?? [];
          const same = selected.length === wanted.length && selected.every((b) => wanted.includes(b));
          if (!same) {
            const picked = selected.length > 0 ? `select ${listText(selected.map((b) => b.from))}` : "select no pod";
            problems.push(
              `${where}.labels ${formatLabels(subset.labels)} ${picked}, expected only the pods labelled ${formatLabels(labels)} (${listText(wanted.map((b) => b.from))})`,
            );
          }
          continue;
        }
        const missing = Object.entries(labels).filter(([k, v]) => subset.labels[k] !== v);
        if (missing.length > 0) {
          problems.push(
            `${where}.labels is ${formatLabels(subset.labels)}, expected ${formatLabels(Object.fromEntries(missing))}`,
          );
          continue;
        }
        if (!backends?.service) continue;
        const selected = backends.labelSets.filter((s) => matchesLabels(subset.labels, s.labels));
        if (selected.length === 0) {
          const keys = Object.keys(subset.labels);
          const seen = [
            ...new Set(
              backends.labelSets.map((s) =>
                formatLabels(Object.fromEntries(keys.filter((k) => k in s.labels).map((k) => [k, s.labels[k]]))),
              ),
            ),
          ];
          const have = seen.filter((x) => x !== "(none)");
          problems.push(
            `${where}.labels ${formatLabels(subset.labels)} select no pod of ${describeObject(backends.service)}${have.length > 0 ? ` (its pods have ${listText(have)})` : ""}`,
          );
        }
      }
      const evidence = dr.sources.map((s) => evidenceOf(s, "spec.subsets"));
      if (problems.length > 0) return fail(problems.join("; "), evidence);
      const note =
        p.selectPods && !backends?.service ? " (no Service found for the host, so pod selection was not checked)" : "";
      return pass(`${drLabel(dr)} defines ${listText(Object.keys(expected))}${note}`, evidence);
    });
  },
});

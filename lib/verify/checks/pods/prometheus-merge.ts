// pods.prometheus-merge: Istio's metrics merging on injected pods.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { annotationsOf, describeObject, labelsOf } from "../../../istio/fields";
import { isPodRunningOrPending, templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { readMeshConfig } from "../../../istio/mesh-config";
import { defineCheck, type Snapshot } from "../../types";
import { evidenceOf, fail, listText, pass, ZLabels, ZNamespace } from "../common";
import { predictInjection } from "../predict-injection";

const MERGE_ANNOTATION = "prometheus.istio.io/merge-metrics";
/** Go's strconv.ParseBool, which the injector uses for the annotation. */
const FALSE = ["0", "f", "F", "false", "FALSE", "False"];
const TRUE = ["1", "t", "T", "true", "TRUE", "True"];

/**
 * Prometheus' and the injector's reading of an annotation name: every character that is not a
 * letter, digit or underscore becomes "_" (prometheus.io/port, prometheus-io/port are the same).
 */
export const sanitized = (key: string) => key.replace(/[^a-zA-Z0-9_]/g, "_");

/** The value of prometheus.io/<name> under any spelling the injector reads. */
export function promAnnotation(
  annotations: Record<string, string>,
  name: "scrape" | "port" | "path",
): string | undefined {
  const want = `prometheus_io_${name}`;
  return Object.entries(annotations).find(([k]) => sanitized(k) === want)?.[1];
}

const isMerged = (a: Record<string, string>): boolean =>
  a["prometheus.io/port"] === "15020" && a["prometheus.io/path"] === "/stats/prometheus";

/**
 * What the injector does to a new pod's annotations (pkg/kube/inject applyPrometheusMerge): with
 * mesh enablePrometheusMerge (default true), unless the pod says prometheus.io/scrape false (any
 * spelling of the name, any value Go's ParseBool reads as false) or
 * prometheus.istio.io/merge-metrics "false", it points prometheus.io/port at 15020 and path at
 * /stats/prometheus and keeps the app's own settings in ISTIO_PROMETHEUS_ANNOTATIONS.
 */
export function predictMerge(
  meshMerge: boolean,
  annotations: Record<string, string>,
): { merged: boolean; reason: string } {
  const own = annotations[MERGE_ANNOTATION];
  const scrapeOff = Object.entries(annotations).find(
    ([k, v]) => sanitized(k) === "prometheus_io_scrape" && FALSE.includes(v),
  );
  if (scrapeOff) return { merged: false, reason: `the pod template says ${scrapeOff[0]}: "${scrapeOff[1]}"` };
  if (own !== undefined && FALSE.includes(own))
    return { merged: false, reason: `the pod template annotation ${MERGE_ANNOTATION}: "${own}"` };
  if (own !== undefined && TRUE.includes(own))
    return { merged: true, reason: `the pod template annotation ${MERGE_ANNOTATION}: "${own}"` };
  return meshMerge
    ? { merged: true, reason: "mesh config enablePrometheusMerge is true (the default)" }
    : { merged: false, reason: "mesh config enablePrometheusMerge is false" };
}

export const podsPrometheusMerge = defineCheck({
  name: "pods.prometheus-merge",
  description:
    'Istio\'s metrics merging on injected pods: merged means prometheus.io/port is 15020 and path /stats/prometheus; not merged means prometheus.io/port is not 15020 (mesh enablePrometheusMerge false, or pod annotation prometheus.istio.io/merge-metrics: "false", or prometheus.io/scrape: "false"). With no such pod (graded from files), it judges the Deployments\' pod templates by what the injector would write: a template that already holds the proxy (kube-inject) as it is, otherwise the mesh config and the template\'s annotations.',
  params: z.strictObject({ namespace: ZNamespace, selector: ZLabels.optional(), merged: z.boolean() }),
  example: { namespace: "shop", selector: { app: "reviews" }, merged: false },
  kinds: [K.pod, K.deployment, K.namespace, K.configMap],
  run(p, { snapshot }) {
    const sel = p.selector ?? {};
    const pods = snapshot
      .list(K.pod, p.namespace)
      .filter((pod) => isPodRunningOrPending(pod) && matchesLabels(sel, labelsOf(pod)));
    const scope = `${p.selector ? `labelled ${formatLabels(sel)} ` : ""}in namespace ${p.namespace}`;
    if (pods.length === 0) return predictFromTemplates(p.merged, snapshot, p.namespace, sel, scope);
    const wrong = pods.filter((pod) =>
      p.merged ? !isMerged(annotationsOf(pod)) : annotationsOf(pod)["prometheus.io/port"] === "15020",
    );
    const evidence = wrong.map((pod) => evidenceOf(pod, "metadata.annotations", annotationsOf(pod)));
    if (wrong.length > 0) {
      const shown = wrong
        .slice(0, 3)
        .map(
          (pod) =>
            `${describeObject(pod)} has prometheus.io/port=${annotationsOf(pod)["prometheus.io/port"] ?? "unset"}`,
        );
      const restart = p.merged
        ? ""
        : " (the injector sets these when a pod is created: pods created before the change keep them until they are replaced)";
      return fail(
        `metrics are ${p.merged ? "not " : ""}merged on ${wrong.length} of ${pods.length} pods ${scope}: ${listText(shown)}${restart}`,
        evidence,
      );
    }
    return pass(`metrics are ${p.merged ? "" : "not "}merged on all ${pods.length} pods ${scope}`);
  },
});

function predictFromTemplates(
  merged: boolean,
  snapshot: Snapshot,
  namespace: string,
  sel: Record<string, string>,
  scope: string,
) {
  const workloads = snapshot.list(K.deployment, namespace).filter((d) => matchesLabels(sel, templateOf(d).labels));
  if (workloads.length === 0) return fail(`no pods or Deployments ${scope}`);
  const mesh = readMeshConfig(snapshot.list(K.configMap, "istio-system"));
  const meshMerge = mesh.config.enablePrometheusMerge !== false;
  const ns = snapshot.get(K.namespace, namespace);
  const verdicts = workloads.map((w: KubeObject) => {
    const t = templateOf(w);
    const injection = predictInjection(w, ns);
    if (!injection.injected) return { w, merged: isMerged(t.annotations), reason: `no sidecar (${injection.reason})` };
    if (injection.reason.startsWith("its template already has"))
      return { w, merged: isMerged(t.annotations), reason: "its template already holds the proxy and its annotations" };
    return { w, ...predictMerge(meshMerge, t.annotations) };
  });
  const wrong = verdicts.filter((v) => v.merged !== merged);
  if (wrong.length > 0)
    return fail(
      `no pods ${scope} yet, and the pods of ${wrong.map((v) => `${describeObject(v.w)} would ${v.merged ? "" : "not "}have merged metrics (${v.reason})`).join("; ")}`,
      wrong.map((v) => evidenceOf(v.w, "spec.template.metadata.annotations", templateOf(v.w).annotations)),
    );
  return pass(
    `no pods ${scope} yet; the pods of ${listText(verdicts.map((v) => describeObject(v.w)))} would ${merged ? "" : "not "}have merged metrics (${verdicts[0].reason})`,
  );
}

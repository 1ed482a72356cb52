// Sidecar injection checks: namespace labels, pods with or without the proxy, pod templates.
import { z } from "zod";
import { K } from "../../cluster/kinds";
import type { KubeObject } from "../../cluster/types";
import { annotationsOf, describeObject, labelsOf } from "../../istio/fields";
import {
  decideTemplateInjection,
  isPodRunningOrPending,
  podProxyPresence,
  proxyPresence,
  STATUS_ANNOTATION,
  templateOf,
} from "../../istio/injection";
import { formatLabels, matchesLabels } from "../../istio/labels";
import { defineCheck } from "../types";
import { evidenceOf, fail, listText, pass, ZLabels, ZNamespace } from "./common";

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

export const podsInjected = defineCheck({
  name: "pods.injected",
  description:
    "Pods (running or pending) of a namespace, optionally those matching `selector`, all have the istio-proxy sidecar (container, or native-sidecar initContainer) or all lack it. With no such pod (e.g. manifests graded from files), it judges the Deployments' pod templates by what the injector would do.",
  params: z.strictObject({
    namespace: ZNamespace,
    selector: ZLabels.optional().describe("pod labels, e.g. { app: httpbin }"),
    injected: z.boolean().default(true),
  }),
  example: { namespace: "shop", selector: { app: "reviews" }, injected: true },
  kinds: [K.pod, K.deployment, K.namespace],
  run(p, { snapshot }) {
    const sel = p.selector ?? {};
    const pods = snapshot
      .list(K.pod, p.namespace)
      .filter((pod) => isPodRunningOrPending(pod) && matchesLabels(sel, labelsOf(pod)));
    const want = p.injected ? "have" : "lack";
    if (pods.length > 0) {
      const wrong = pods.filter((pod) => podProxyPresence(pod).injected !== p.injected);
      const evidence = wrong.map((pod) => evidenceOf(pod, "spec.containers"));
      if (wrong.length > 0) {
        const restart = p.injected
          ? " (pods created before injection was enabled need a restart: kubectl rollout restart)"
          : "";
        return fail(
          `${wrong.length} of ${pods.length} pods ${p.injected ? "lack" : "have"} the istio-proxy sidecar: ${listText(wrong.map((pod) => describeObject(pod)).slice(0, 5))}${restart}`,
          evidence,
        );
      }
      return pass(
        `all ${pods.length} pods ${want} the istio-proxy sidecar`,
        pods.slice(0, 5).map((pod) => evidenceOf(pod, "spec.containers")),
      );
    }
    const ns = snapshot.get(K.namespace, p.namespace);
    const workloads = snapshot.list(K.deployment, p.namespace).filter((d) => matchesLabels(sel, templateOf(d).labels));
    const scope = `${p.selector ? `labelled ${formatLabels(sel)} ` : ""}in namespace ${p.namespace}`;
    if (workloads.length === 0) return fail(`no pods or Deployments ${scope}`);
    const verdicts = workloads.map((w) => ({ w, ...predictWorkload(w, ns) }));
    const wrong = verdicts.filter((v) => v.injected !== p.injected);
    if (wrong.length > 0) {
      return fail(
        `no pods ${scope} yet, and the pods of ${wrong.map((v) => `${describeObject(v.w)} would ${v.injected ? "get" : "not get"} the sidecar (${v.reason})`).join("; ")}`,
        wrong.map((v) => evidenceOf(v.w, "spec.template.metadata")),
      );
    }
    return pass(
      `no pods ${scope} yet; the pods of ${listText(workloads.map(describeObject))} would ${p.injected ? "get" : "not get"} the sidecar`,
      workloads.map((w) => evidenceOf(w)),
    );
  },
});

/** A workload's pods get the proxy if its template already has it (kube-inject) or the injector adds it. */
function predictWorkload(w: KubeObject, ns: KubeObject | undefined): { injected: boolean; reason: string } {
  const t = templateOf(w);
  const present = proxyPresence(t.spec, t.annotations);
  if (present.injected) return { injected: true, reason: `its template already has the ${present.detail}` };
  return decideTemplateInjection(w, ns);
}

export const deploymentInjection = defineCheck({
  name: "deployment.injection",
  description:
    "Whether a Deployment's pods get the sidecar, from its pod template (`sidecar.istio.io/inject` label) and its namespace's labels, as the injection webhook decides — or because the template already holds the proxy (kube-inject).",
  params: z.strictObject({ namespace: ZNamespace, name: z.string().min(1), injected: z.boolean() }),
  example: { namespace: "shop", name: "legacy", injected: false },
  kinds: [K.deployment, K.namespace],
  run(p, { snapshot }) {
    const d = snapshot.get(K.deployment, p.name, p.namespace);
    if (!d) return fail(`Deployment ${p.namespace}/${p.name} not found`);
    const v = predictWorkload(d, snapshot.get(K.namespace, p.namespace));
    const evidence = [evidenceOf(d, "spec.template.metadata.labels", templateOf(d).labels)];
    const verb = v.injected ? "get" : "do not get";
    if (v.injected !== p.injected)
      return fail(`Deployment ${p.namespace}/${p.name}'s pods ${verb} the sidecar: ${v.reason}`, evidence);
    return pass(`Deployment ${p.namespace}/${p.name}'s pods ${verb} the sidecar: ${v.reason}`, evidence);
  },
});

export const deploymentKubeInjected = defineCheck({
  name: "deployment.kube-injected",
  description:
    "A Deployment's own pod template holds the istio-proxy container, as `istioctl kube-inject` writes it (the webhook only mutates Pods, never the Deployment).",
  params: z.strictObject({ namespace: ZNamespace, name: z.string().min(1) }),
  example: { namespace: "legacy", name: "httpbin" },
  kinds: [K.deployment],
  run(p, { snapshot }) {
    const d = snapshot.get(K.deployment, p.name, p.namespace);
    if (!d) return fail(`Deployment ${p.namespace}/${p.name} not found`);
    const t = templateOf(d);
    const present = proxyPresence(t.spec, t.annotations);
    const evidence = [evidenceOf(d, "spec.template.spec.containers")];
    if (!present.injected)
      return fail(
        `Deployment ${p.namespace}/${p.name} spec.template has ${present.detail}: run istioctl kube-inject on it and apply the result`,
        evidence,
      );
    const status = STATUS_ANNOTATION in t.annotations ? "" : ` (no ${STATUS_ANNOTATION} annotation)`;
    return pass(`Deployment ${p.namespace}/${p.name} spec.template has the ${present.detail}${status}`, evidence);
  },
});

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

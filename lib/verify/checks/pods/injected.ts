// pods.injected: pods have (or lack) the sidecar, or would, judged from their Deployments' templates.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { describeObject, labelsOf } from "../../../istio/fields";
import { isPodRunningOrPending, podProxyPresence, templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZLabels, ZNamespace } from "../common";
import { predictInjection } from "../predict-injection";

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
          ? " (pods created before injection was enabled need a restart: kubectl rollout restart; after one, wait for kubectl rollout status)"
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
    const verdicts = workloads.map((w) => ({ w, ...predictInjection(w, ns) }));
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

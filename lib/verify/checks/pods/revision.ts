// pods.revision: the running pods carry proxies of one control-plane revision.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { describeObject, labelsOf } from "../../../istio/fields";
import { isPodRunningOrPending, podProxyPresence, proxyPresence, templateOf } from "../../../istio/injection";
import { podProxyRevision, proxyRevisionOf } from "../../../istio/injector-webhooks";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZLabels, ZNamespace } from "../common";
import { newPodRevision } from "../injector-revision";

export const podsRevision = defineCheck({
  name: "pods.revision",
  description:
    "Pods (running or pending) of a namespace, optionally those matching `selector`, all carry the proxy of `revision`: the `revision` of their sidecar.istio.io/status annotation (written by the istiod that injected them; a tag is recorded as the revision it points at), else their istio.io/rev label. A pod keeps the proxy it was created with, so a namespace moved to another revision needs a restart. With no such pod (graded from files), it judges the Deployments' pod templates by the revision that would inject them (as namespace.revision).",
  params: z.strictObject({
    namespace: ZNamespace,
    selector: ZLabels.optional().describe("pod labels, e.g. { app: httpbin }"),
    revision: z.string().min(1).describe("the revision (not a tag) whose proxy the pods must carry"),
  }),
  example: { namespace: "shop", selector: { app: "reviews" }, revision: "canary" },
  kinds: [K.pod, K.deployment, K.namespace, K.mutatingWebhook, K.service],
  run(p, { snapshot, capabilities }) {
    const sel = p.selector ?? {};
    const pods = snapshot
      .list(K.pod, p.namespace)
      .filter((pod) => isPodRunningOrPending(pod) && matchesLabels(sel, labelsOf(pod)));
    const scope = `${p.selector ? `labelled ${formatLabels(sel)} ` : ""}in namespace ${p.namespace}`;
    if (pods.length > 0) {
      const wrong = pods.flatMap((pod) => {
        if (!podProxyPresence(pod).injected) return [`${describeObject(pod)} has no istio-proxy container`];
        const rev = podProxyRevision(pod);
        if (rev === p.revision) return [];
        return [
          `${describeObject(pod)} has the proxy of revision ${rev ?? "(unknown)"} (metadata.annotations sidecar.istio.io/status)`,
        ];
      });
      if (wrong.length > 0)
        return fail(
          `${wrong.length} of ${pods.length} pods ${scope} do not carry the proxy of revision ${p.revision}: ${listText(wrong.slice(0, 5))}. A pod keeps the proxy it was created with: once the namespace points at revision ${p.revision}, restart the workloads (kubectl rollout restart) and wait for the rollout`,
          pods.slice(0, 5).map((pod) => evidenceOf(pod, "metadata.annotations.sidecar.istio.io/status")),
        );
      return pass(
        `all ${pods.length} pods ${scope} carry the proxy of revision ${p.revision}`,
        pods.slice(0, 5).map((pod) => evidenceOf(pod, "metadata.annotations.sidecar.istio.io/status", p.revision)),
      );
    }
    const ns = snapshot.get(K.namespace, p.namespace);
    const workloads = snapshot.list(K.deployment, p.namespace).filter((d) => matchesLabels(sel, templateOf(d).labels));
    if (workloads.length === 0) return fail(`no pods or Deployments ${scope}`);
    const wrong = workloads.flatMap((w) => {
      const t = templateOf(w);
      if (proxyPresence(t.spec, t.annotations).injected) {
        const rev = proxyRevisionOf(t.annotations, t.labels);
        return rev === p.revision
          ? []
          : [`the template of ${describeObject(w)} already holds a proxy of revision ${rev ?? "(unknown)"}`];
      }
      const d = newPodRevision(snapshot, !capabilities.objectStatus, ns, t);
      if (d.revision === p.revision) return [];
      return [
        `the pods of ${describeObject(w)} would get ${d.revision ? `the proxy of revision ${d.revision}` : "no proxy"} (${d.reason})`,
      ];
    });
    if (wrong.length > 0) return fail(`no pods ${scope} yet, and ${wrong.join("; ")}`);
    return pass(
      `no pods ${scope} yet; the pods of ${listText(workloads.map(describeObject))} would get the proxy of revision ${p.revision}`,
      workloads.map((w) => evidenceOf(w)),
    );
  },
});

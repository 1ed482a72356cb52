// namespace.revision: which control-plane revision injects the namespace's new pods.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { defineCheck } from "../../types";
import { fail, pass, ZLabels, ZNamespace } from "../common";
import { newPodRevision } from "../injector-revision";

export const namespaceRevision = defineCheck({
  name: "namespace.revision",
  description:
    "New pods of the namespace (with `podLabels`, e.g. an app's) get the proxy of `revision`, as the cluster decides it: the first sidecar-injector MutatingWebhookConfiguration (by name) whose namespaceSelector and objectSelector match, and the revision of the istiod Service it calls (its istio.io/rev). So `istio.io/rev=<tag>` passes when the revision tag points at the revision; istio-injection next to istio.io/rev wins; a label naming no installed revision or tag injects nothing. From files without webhooks, by the namespace's labels (a label's value taken as the revision).",
  params: z.strictObject({
    namespace: ZNamespace,
    revision: z.string().min(1).describe("the revision (not a tag) whose proxy new pods must get"),
    podLabels: ZLabels.optional().describe("labels of the new pods, for webhooks' objectSelectors; default none"),
  }),
  example: { namespace: "shop", revision: "canary" },
  kinds: [K.namespace, K.mutatingWebhook, K.service],
  run(p, { snapshot, capabilities }) {
    const ns = snapshot.get(K.namespace, p.namespace);
    if (!ns) return fail(`Namespace ${p.namespace} not found`);
    const d = newPodRevision(snapshot, !capabilities.objectStatus, ns, { labels: p.podLabels ?? {} });
    const pods = `new pods of Namespace ${p.namespace}`;
    if (d.revision === p.revision)
      return pass(`${pods} get the proxy of revision ${p.revision}: ${d.reason}`, d.evidence);
    if (d.revision === undefined)
      return fail(`${pods} get no proxy: ${d.reason}; expected revision ${p.revision}`, d.evidence);
    return fail(`${pods} get the proxy of revision ${d.revision}, expected ${p.revision}: ${d.reason}`, d.evidence);
  },
});

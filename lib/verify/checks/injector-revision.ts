// The revision whose proxy a new pod would get: read by namespace.revision and pods.revision.
import { K } from "../../cluster/kinds";
import type { KubeObject } from "../../cluster/types";
import { labelsOf, rec } from "../../istio/fields";
import { decideInjection } from "../../istio/injection";
import { injectByWebhooks, injectorWebhooks } from "../../istio/injector-webhooks";
import type { Evidence, Snapshot } from "../types";
import { evidenceOf } from "./common";

export interface RevisionDecision {
  /** the revision that injects; none when the pod gets no proxy */
  revision?: string;
  reason: string;
  evidence: Evidence[];
}

/**
 * On a cluster, by the injector webhooks the cluster has (so revision tags resolve, and a label
 * naming no installed revision injects nothing). From files, where no installation is read, by the
 * namespace's labels, a label's value taken as the revision, unless the files hold the webhooks.
 */
export function newPodRevision(
  snapshot: Snapshot,
  isFromFiles: boolean,
  namespace: KubeObject | undefined,
  pod: { labels: Record<string, string>; annotations?: Record<string, string>; spec?: unknown },
): RevisionDecision {
  const nsLabels = namespace ? labelsOf(namespace) : {};
  const evidence = namespace ? [evidenceOf(namespace, "metadata.labels", nsLabels)] : [];
  const byLabels = decideInjection(nsLabels, pod.labels, pod.annotations ?? {}, pod.spec);
  const webhooks = injectorWebhooks(snapshot.list(K.mutatingWebhook), snapshot.list(K.service));
  if (webhooks.length === 0 && isFromFiles)
    return { revision: byLabels.injected ? byLabels.revision : undefined, reason: byLabels.reason, evidence };
  // istiod itself declines these, whatever webhook calls it
  const annotationOptOut =
    pod.labels["sidecar.istio.io/inject"] === undefined && pod.annotations?.["sidecar.istio.io/inject"] === "false";
  if (rec(pod.spec).hostNetwork === true || annotationOptOut) return { reason: byLabels.reason, evidence };
  if (webhooks.length === 0)
    return { reason: "the cluster has no sidecar-injector webhook: no Istio control plane is installed", evidence };
  const decided = injectByWebhooks(webhooks, nsLabels, pod.labels);
  const injector = decided.injector;
  return {
    revision: injector?.revision,
    reason: decided.reason,
    evidence: injector ? [...evidence, evidenceOf(injector.config, "webhooks", injector.name)] : evidence,
  };
}

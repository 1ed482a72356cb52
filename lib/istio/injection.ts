// Sidecar injection: whether a pod (or pod template) carries the proxy, and whether the
// webhook would inject a new pod given its namespace's labels and its own labels.
import type { KubeObject } from "../cluster/types";
import { annotationsOf, arr, labelsOf, type Rec, rec, str, strMap } from "./fields";

const INJECT_LABEL = "sidecar.istio.io/inject";
export const STATUS_ANNOTATION = "sidecar.istio.io/status";

export interface ProxyPresence {
  injected: boolean;
  /** where the proxy was found, or what is missing */
  detail: string;
}

/** A pod spec+metadata (a Pod, or a Deployment's `spec.template`) carries the proxy. */
export function proxyPresence(podSpec: unknown, annotations: Record<string, string>): ProxyPresence {
  const spec = rec(podSpec);
  const containers = arr(spec.containers).map(rec);
  const inits = arr(spec.initContainers).map(rec);
  const hasStatus = STATUS_ANNOTATION in annotations;
  if (containers.some((c) => c.name === "istio-proxy")) {
    return {
      injected: true,
      detail: `container istio-proxy${hasStatus ? "" : " (no sidecar.istio.io/status annotation)"}`,
    };
  }
  // 1.27+ native sidecars: istio-proxy as an initContainer that keeps running
  if (inits.some((c) => c.name === "istio-proxy" && c.restartPolicy === "Always")) {
    return { injected: true, detail: "native sidecar initContainer istio-proxy" };
  }
  return {
    injected: false,
    detail: hasStatus ? "no istio-proxy container (only a stale status annotation)" : "no istio-proxy container",
  };
}

export function podProxyPresence(pod: KubeObject): ProxyPresence {
  return proxyPresence(pod.spec, annotationsOf(pod));
}

/** The pod template of a Deployment/DaemonSet/StatefulSet. */
export function templateOf(workload: KubeObject): {
  metadata: Rec;
  spec: Rec;
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const template = rec(rec(workload.spec).template);
  const metadata = rec(template.metadata);
  return {
    metadata,
    spec: rec(template.spec),
    labels: strMap(metadata.labels),
    annotations: strMap(metadata.annotations),
  };
}

export interface InjectionDecision {
  injected: boolean;
  /** the revision that injects, when one does */
  revision?: string;
  reason: string;
}

/**
 * What the default sidecar-injector webhooks decide for a new pod. Namespace label
 * `istio-injection=enabled` injects unless the pod says `sidecar.istio.io/inject: "false"`;
 * `istio.io/rev=<rev>` works only without `istio-injection`; the pod label
 * `sidecar.istio.io/inject: "true"` (or `istio.io/rev`) works only when neither namespace label exists.
 */
export function decideInjection(
  namespaceLabels: Record<string, string>,
  podLabels: Record<string, string>,
  podAnnotations: Record<string, string> = {},
  podSpec?: unknown,
): InjectionDecision {
  const nsInjection = namespaceLabels["istio-injection"];
  const nsRev = namespaceLabels["istio.io/rev"];
  const podOptOut =
    podLabels[INJECT_LABEL] === "false" ||
    (podLabels[INJECT_LABEL] === undefined && podAnnotations[INJECT_LABEL] === "false");
  if (rec(podSpec).hostNetwork === true)
    return { injected: false, reason: "pod uses hostNetwork, which is never injected" };
  if (nsInjection !== undefined) {
    if (nsInjection !== "enabled") {
      return { injected: false, reason: `namespace label istio-injection=${nsInjection} (only "enabled" injects)` };
    }
    if (podOptOut)
      return {
        injected: false,
        reason: `namespace has istio-injection=enabled but the pod sets ${INJECT_LABEL}: "false"`,
      };
    return { injected: true, revision: "default", reason: "namespace label istio-injection=enabled" };
  }
  if (nsRev !== undefined) {
    if (podOptOut)
      return {
        injected: false,
        reason: `namespace has istio.io/rev=${nsRev} but the pod sets ${INJECT_LABEL}: "false"`,
      };
    return { injected: true, revision: nsRev, reason: `namespace label istio.io/rev=${nsRev}` };
  }
  if (podLabels["istio.io/rev"] !== undefined && !podOptOut) {
    return {
      injected: true,
      revision: podLabels["istio.io/rev"],
      reason: `pod label istio.io/rev=${podLabels["istio.io/rev"]}`,
    };
  }
  if (podLabels[INJECT_LABEL] === "true")
    return { injected: true, revision: "default", reason: `pod label ${INJECT_LABEL}: "true"` };
  const annotationOnly =
    podAnnotations[INJECT_LABEL] === "true" ? ` (the annotation ${INJECT_LABEL} does not opt in; the label does)` : "";
  return {
    injected: false,
    reason: `namespace has neither istio-injection nor istio.io/rev, and the pod does not opt in${annotationOnly}`,
  };
}

/** Decision for a workload's pod template in its namespace. */
export function decideTemplateInjection(workload: KubeObject, namespace: KubeObject | undefined): InjectionDecision {
  const t = templateOf(workload);
  return decideInjection(namespace ? labelsOf(namespace) : {}, t.labels, t.annotations, t.spec);
}

export function isPodRunningOrPending(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  const phase = str(rec(pod.status).phase);
  return phase !== "Succeeded" && phase !== "Failed";
}

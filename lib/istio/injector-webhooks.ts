// Which control-plane revision injects a new pod, decided as the API server decides it: every
// mutating webhook whose namespaceSelector and objectSelector match the pod is called, in the
// order of their configurations' names; Istio's sidecar-injector webhooks (path /inject) send the
// pod to an istiod Service, and the first one injects (istiod leaves a pod that already carries
// sidecar.istio.io/status alone). The revision is that Service's istio.io/rev label, so a revision
// tag (`istioctl tag set`, Helm `revisionTags`: a MutatingWebhookConfiguration labelled
// istio.io/tag) resolves to the revision it points at, and a label that names no installed
// revision or tag injects nothing.
import type { KubeObject } from "../cluster/types";
import { annotationsOf, arr, describeObject, labelsOf, rec, str, strMap, strs } from "./fields";
import { STATUS_ANNOTATION } from "./injection";
import { formatLabels } from "./labels";

export interface InjectorWebhook {
  /** the MutatingWebhookConfiguration */
  config: KubeObject;
  /** the webhook's name within it */
  name: string;
  namespaceSelector: unknown;
  objectSelector: unknown;
  /** the Service it calls, when it calls one */
  service?: { name: string; namespace: string };
  /** the revision it injects: the Service's istio.io/rev, else the configuration's, else default */
  revision: string;
  /** the revision tag the configuration stands for (label istio.io/tag) */
  tag?: string;
}

/** A Kubernetes LabelSelector (matchLabels, matchExpressions); an absent or empty one selects everything. */
export function matchesLabelSelector(selector: unknown, labels: Record<string, string>): boolean {
  const s = rec(selector);
  const matchLabels = strMap(s.matchLabels);
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return arr(s.matchExpressions).every((raw) => {
    const e = rec(raw);
    const key = str(e.key) ?? "";
    const values = strs(e.values);
    const has = key in labels;
    switch (str(e.operator)) {
      case "In":
        return has && values.includes(labels[key]);
      case "NotIn":
        return !has || !values.includes(labels[key]);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
}

const isInjectPath = (path: string | undefined): boolean => path?.startsWith("/inject") === true;

/** Istio's sidecar-injector webhooks of the cluster, in the order the API server calls them. */
export function injectorWebhooks(configs: readonly KubeObject[], services: readonly KubeObject[]): InjectorWebhook[] {
  const ordered = [...configs].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return ordered.flatMap((config) =>
    arr(config.webhooks).flatMap((raw): InjectorWebhook[] => {
      const w = rec(raw);
      const client = rec(w.clientConfig);
      const svc = rec(client.service);
      const url = str(client.url);
      const path = str(svc.path) ?? (url ? new URL(url, "https://x").pathname : undefined);
      if (!isInjectPath(path)) return [];
      const service =
        str(svc.name) !== undefined
          ? { name: str(svc.name) ?? "", namespace: str(svc.namespace) ?? "istio-system" }
          : undefined;
      const target = service
        ? services.find((s) => s.metadata.name === service.name && s.metadata.namespace === service.namespace)
        : undefined;
      const configLabels = labelsOf(config);
      const revision = (target && labelsOf(target)["istio.io/rev"]) || configLabels["istio.io/rev"] || "default";
      return [
        {
          config,
          name: str(w.name) ?? "",
          namespaceSelector: w.namespaceSelector,
          objectSelector: w.objectSelector,
          service,
          revision,
          tag: configLabels["istio.io/tag"],
        },
      ];
    }),
  );
}

export interface WebhookInjection {
  /** the webhook that injects the pod, if any does */
  injector?: InjectorWebhook;
  reason: string;
}

/** "MutatingWebhookConfiguration istio-revision-tag-x (tag x) webhook w → Service ns/istiod-canary (revision canary)" */
export function describeWebhook(w: InjectorWebhook): string {
  const tag = w.tag ? ` (revision tag ${w.tag})` : "";
  const to = w.service ? `, which calls Service ${w.service.namespace}/${w.service.name}` : "";
  return `${describeObject(w.config)}${tag}, webhook ${w.name}${to}`;
}

/** What the injector webhooks do with a new pod of a namespace. */
export function injectByWebhooks(
  webhooks: readonly InjectorWebhook[],
  namespaceLabels: Record<string, string>,
  podLabels: Record<string, string>,
): WebhookInjection {
  const injector = webhooks.find(
    (w) =>
      matchesLabelSelector(w.namespaceSelector, namespaceLabels) && matchesLabelSelector(w.objectSelector, podLabels),
  );
  const shown = formatLabels(
    Object.fromEntries(Object.entries(namespaceLabels).filter(([k]) => k !== "kubernetes.io/metadata.name")),
  );
  if (injector)
    return {
      injector,
      reason: `the namespace labels ${shown} match ${describeWebhook(injector)} (revision ${injector.revision})`,
    };
  const named = namespaceLabels["istio.io/rev"] ?? podLabels["istio.io/rev"];
  const known = new Set(webhooks.flatMap((w) => [w.revision, ...(w.tag ? [w.tag] : [])]));
  const unknown =
    named !== undefined && !known.has(named)
      ? ` (istio.io/rev=${named} names no installed revision or revision tag)`
      : "";
  return {
    reason: `no sidecar-injector webhook matches the namespace labels ${shown}${unknown}`,
  };
}

/**
 * The revision whose injector gave a pod (or a kube-injected template) its proxy: the `revision` of
 * sidecar.istio.io/status, else the istio.io/rev label.
 */
export function proxyRevisionOf(
  annotations: Record<string, string>,
  labels: Record<string, string>,
): string | undefined {
  const status = annotations[STATUS_ANNOTATION];
  if (status) {
    try {
      const revision = rec(JSON.parse(status)).revision;
      if (typeof revision === "string" && revision !== "") return revision;
    } catch {
      // not JSON: fall through to the label
    }
  }
  return labels["istio.io/rev"];
}

export const podProxyRevision = (pod: KubeObject): string | undefined =>
  proxyRevisionOf(annotationsOf(pod), labelsOf(pod));

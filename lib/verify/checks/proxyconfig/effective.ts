// proxyconfig.effective: the value of a ProxyConfig field that a namespace's (or a workload's)
// proxies get, composed as istiod does from the ProxyConfig API, the pod annotation and the mesh config.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { annotationsOf, describeObject, isRec, labelsOf } from "../../../istio/fields";
import { isPodRunningOrPending, templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { readMeshConfig } from "../../../istio/mesh-config";
import {
  type EffectiveField,
  effectiveProxyConfigField,
  PROXY_CONFIG_FIELD,
  type ProxyConfigField,
  parseProxyConfigField,
} from "../../../istio/proxy-config";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, rootNamespace, ZLabels } from "../common";

interface Workload {
  object?: KubeObject;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const shown = (field: ProxyConfigField, value: string | number | undefined): string => {
  if (value !== undefined) return typeof value === "string" ? `"${value}"` : String(value);
  if (field.kind === "concurrency") return "unset (the proxy sizes its worker threads from its CPU limit)";
  if (field.kind === "imageType") return "unset (the injector's default image)";
  return "unset";
};

const isExpected = (field: ProxyConfigField, actual: string | number | undefined, expected: unknown): boolean => {
  if (expected === null) return actual === undefined || (field.kind === "imageType" && actual === "default");
  if (field.kind === "imageType" && expected === "default" && actual === undefined) return true;
  if (actual === undefined) return false;
  return field.kind === "concurrency" ? Number(expected) === Number(actual) : String(expected) === String(actual);
};

const decided = (e: EffectiveField): string =>
  e.decidedBy
    ? `from ${e.decidedBy}`
    : "no ProxyConfig, proxy.istio.io/config annotation or mesh defaultConfig sets it";

/** What decided, and the objects that look meant for these workloads but do not count. */
const explain = (e: EffectiveField): string => `${decided(e)}${e.notes.length > 0 ? `; ${e.notes.join("; ")}` : ""}`;

export const proxyConfigEffective = defineCheck({
  name: "proxyconfig.effective",
  description:
    "The value of a proxy setting (`concurrency`, `image.imageType` or `environmentVariables.NAME`) that the proxies of a namespace's workloads (those whose pods match `selector`) get, composed as istiod does: mesh config defaultConfig, then the oldest selector-less ProxyConfig of the root namespace (mesh-wide), then the oldest selector-less ProxyConfig of the namespace, then the pod annotation proxy.istio.io/config, then the oldest ProxyConfig of the namespace whose selector matches the pod; each level overrides only the fields it sets (environment variables key by key). A younger second selector-less ProxyConfig in a namespace is ignored; a root-namespace ProxyConfig with a selector selects pods of the root namespace only; an object the API server refuses (a quoted concurrency) counts as absent. Without `namespace` it grades the mesh-wide value (a namespace with no ProxyConfig of its own). Workloads: the running pods, else the Deployments' pod templates, else a pod with the selector's labels. Proxies pick a change up when they restart.",
  params: z.strictObject({
    namespace: z
      .string()
      .min(1)
      .optional()
      .describe("the workloads' namespace; omitted: the mesh-wide value, for a namespace without ProxyConfig"),
    selector: ZLabels.optional().describe("pod labels of the workloads; all of the namespace when absent"),
    field: z
      .string()
      .regex(PROXY_CONFIG_FIELD, "concurrency, image.imageType or environmentVariables.NAME")
      .describe("concurrency, image.imageType or environmentVariables.NAME"),
    equals: z.union([z.number(), z.string(), z.null()]).describe("the expected effective value; null: nothing sets it"),
  }),
  example: { namespace: "shop", selector: { app: "reviews" }, field: "concurrency", equals: 4 },
  kinds: [K.proxyConfig, K.configMap, K.pod, K.deployment, K.daemonSet],
  run(p, { snapshot }) {
    const mesh = readMeshConfig(snapshot.list(K.configMap, "istio-system"));
    if (mesh.problem && mesh.source) return fail(mesh.problem);
    const field = parseProxyConfigField(p.field);
    const base = {
      field,
      proxyConfigs: snapshot.list(K.proxyConfig),
      meshDefaultConfig: isRec(mesh.written.defaultConfig) ? mesh.written.defaultConfig : {},
      rootNamespace: rootNamespace(snapshot),
    };
    if (p.namespace === undefined) {
      const e = effectiveProxyConfigField(base);
      const evidence = e.source ? [evidenceOf(e.source, "spec")] : [];
      const at = `mesh-wide (a namespace with no ProxyConfig of its own), ${p.field} is ${shown(field, e.value)}`;
      return isExpected(field, e.value, p.equals)
        ? pass(`${at}, ${decided(e)}`, evidence)
        : fail(`${at}, expected ${shown(field, p.equals ?? undefined)}: ${explain(e)}`, evidence);
    }
    const namespace = p.namespace;
    const sel = p.selector ?? {};
    const scope = `${p.selector ? `labelled ${formatLabels(sel)} ` : ""}in namespace ${namespace}`;
    const workloads = workloadsOf(
      snapshot.list(K.pod, namespace).filter((pod) => matchesLabels(sel, labelsOf(pod))),
      [...snapshot.list(K.deployment, namespace), ...snapshot.list(K.daemonSet, namespace)].filter((c) =>
        matchesLabels(sel, templateOf(c).labels),
      ),
    );
    const targets: Workload[] = workloads.length > 0 ? workloads : [{ labels: sel, annotations: {} }];
    const results = targets.map((w) => ({
      w,
      e: effectiveProxyConfigField({ ...base, target: { namespace, ...w } }),
    }));
    const who = (w: Workload) => (w.object ? describeObject(w.object) : `a pod ${scope} (none runs yet)`);
    const wrong = results.filter((r) => !isExpected(field, r.e.value, p.equals));
    if (wrong.length > 0) {
      const evidence = wrong.flatMap((r) => (r.e.source ? [evidenceOf(r.e.source, "spec")] : []));
      // workloads with the same value for the same reason are named together
      const groups = new Map<string, string[]>();
      for (const r of wrong) {
        const key = `${shown(field, r.e.value)}, ${explain(r.e)}`;
        groups.set(key, [...(groups.get(key) ?? []), who(r.w)]);
      }
      const lines = [...groups].map(
        ([why, names]) => `${listText(names)} ${names.length === 1 ? "gets" : "get"} ${p.field} ${why}`,
      );
      return fail(`${lines.join("; ")}; expected ${shown(field, p.equals ?? undefined)}`, evidence);
    }
    const first = results[0];
    const all = results.length === 1 ? `${who(first.w)} gets` : `all ${results.length} workloads ${scope} get`;
    return pass(`${all} ${p.field} ${shown(field, first.e.value)}, ${decided(first.e)}`);
  },
});

/** The running pods, else the pod templates of the Deployments and DaemonSets. */
function workloadsOf(pods: readonly KubeObject[], controllers: readonly KubeObject[]): Workload[] {
  const running = pods.filter(isPodRunningOrPending);
  if (running.length > 0)
    return running.map((pod) => ({ object: pod, labels: labelsOf(pod), annotations: annotationsOf(pod) }));
  return controllers.map((c) => {
    const t = templateOf(c);
    return { object: c, labels: t.labels, annotations: t.annotations };
  });
}

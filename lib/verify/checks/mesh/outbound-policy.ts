// mesh.outbound-policy: what a namespace's proxies do with a host that is not in the registry.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import {
  describeObject,
  isRec,
  labelsOf,
  rec,
  show,
  sortOldestFirst,
  specOf,
  str,
  strMap,
} from "../../../istio/fields";
import { templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { readMeshConfig } from "../../../istio/mesh-config";
import { defineCheck, type Snapshot } from "../../types";
import { evidenceOf, fail, pass, rootNamespace, ZLabels, ZNamespace } from "../common";

const MODES = ["REGISTRY_ONLY", "ALLOW_ANY"] as const;

function workloadSelectorOf(sc: KubeObject): Record<string, string> | undefined {
  const ws = specOf(sc).workloadSelector;
  return isRec(ws) ? strMap(ws.labels) : undefined;
}

/** The label sets of the namespace's pods and pod templates (those `workload` selects, when given). */
function labelSets(snapshot: Snapshot, namespace: string, workload?: Record<string, string>) {
  const sets = [
    ...snapshot.list(K.pod, namespace).map(labelsOf),
    ...snapshot.list(K.deployment, namespace).map((d) => templateOf(d).labels),
  ].filter((labels) => !workload || matchesLabels(workload, labels));
  return sets.length > 0 ? sets : [workload ?? {}];
}

/** The Sidecar pilot gives a proxy with these labels (getSidecarScope), with how it was found. */
function sidecarFor(snapshot: Snapshot, namespace: string, labels: Record<string, string>) {
  const own = sortOldestFirst(snapshot.list(K.sidecar, namespace));
  const selecting = own.find((s) => {
    const sel = workloadSelectorOf(s);
    return sel !== undefined && matchesLabels(sel, labels);
  });
  if (selecting) return { sidecar: selecting, how: `selects ${formatLabels(labels)}` };
  const namespaceWide = own.find((s) => workloadSelectorOf(s) === undefined);
  if (namespaceWide) return { sidecar: namespaceWide, how: `the Sidecar of namespace ${namespace}` };
  const root = rootNamespace(snapshot);
  const meshWide = sortOldestFirst(snapshot.list(K.sidecar, root)).find((s) => workloadSelectorOf(s) === undefined);
  if (meshWide && namespace !== root)
    return { sidecar: meshWide, how: "mesh-wide: root namespace, no workloadSelector" };
  return undefined;
}

export const meshOutboundPolicy = defineCheck({
  name: "mesh.outbound-policy",
  description:
    "The outbound traffic policy a namespace's proxies (or one workload's) use for hosts not in the service registry: the `outboundTrafficPolicy.mode` of the Sidecar that applies to them (selecting the workload, else the namespace's selector-less one, else the root namespace's selector-less one), else the mesh config's (default ALLOW_ANY). A mesh config Istio cannot parse (a wrong-case enum) fails, since istiod keeps its previous one.",
  params: z.strictObject({
    namespace: ZNamespace.describe("namespace of the workloads"),
    workload: ZLabels.optional().describe(
      "labels of one workload's pods; every workload of the namespace when omitted",
    ),
    mode: z.enum(MODES),
  }),
  example: { namespace: "shop", mode: "REGISTRY_ONLY" },
  kinds: [K.sidecar, K.configMap, K.pod, K.deployment],
  run(p, { snapshot }) {
    const mesh = readMeshConfig(snapshot.list(K.configMap, "istio-system"));
    const wrong: string[] = [];
    const found: string[] = [];
    const evidence = [];
    const seen = new Set<string>();
    for (const labels of labelSets(snapshot, p.namespace, p.workload)) {
      const applied = sidecarFor(snapshot, p.namespace, labels);
      let mode: string | undefined;
      let where: string;
      if (applied) {
        const written = rec(specOf(applied.sidecar).outboundTrafficPolicy).mode;
        where = `${describeObject(applied.sidecar)} (${applied.how}) spec.outboundTrafficPolicy.mode`;
        if (written !== undefined && !MODES.includes(String(written) as (typeof MODES)[number])) {
          wrong.push(
            `${where} is ${show(written)}, which Istio's validation refuses (REGISTRY_ONLY or ALLOW_ANY, in that case)`,
          );
          continue;
        }
        mode = str(written);
        evidence.push(
          evidenceOf(applied.sidecar, "spec.outboundTrafficPolicy", specOf(applied.sidecar).outboundTrafficPolicy),
        );
        if (mode === undefined) where = `${where} is unset, so the mesh config's applies:`;
      } else {
        where = "no Sidecar applies, so the mesh config's applies:";
      }
      if (mode === undefined) {
        if (mesh.problem && mesh.source) {
          wrong.push(`${where} ${mesh.problem}`);
          continue;
        }
        const meshMode = str(rec(mesh.config.outboundTrafficPolicy).mode) ?? "ALLOW_ANY";
        const isWritten = rec(mesh.written.outboundTrafficPolicy).mode !== undefined;
        const at = mesh.source
          ? `${describeObject(mesh.source)} data.mesh outboundTrafficPolicy.mode`
          : "outboundTrafficPolicy.mode (no ConfigMap istio-system/istio: Istio's default)";
        where = `${where} ${at}${isWritten || !mesh.source ? "" : " (absent: Istio's default)"}`;
        mode = meshMode;
        if (mesh.source) evidence.push(evidenceOf(mesh.source, "data.mesh.outboundTrafficPolicy.mode", meshMode));
      }
      const line = `${where} is ${mode}`;
      if (seen.has(line)) continue;
      seen.add(line);
      if (mode !== p.mode) wrong.push(`${line}, expected ${p.mode}`);
      else found.push(line);
    }
    const whose = p.workload
      ? `workload ${formatLabels(p.workload)} in namespace ${p.namespace}`
      : `namespace ${p.namespace}`;
    if (wrong.length > 0) return fail(`For ${whose}: ${[...new Set(wrong)].join("; ")}`, evidence);
    return pass(`For ${whose}: ${found.join("; ")}`, evidence);
  },
});

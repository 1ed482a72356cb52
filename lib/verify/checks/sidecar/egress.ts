// sidecar.egress: the Sidecar that applies to a namespace's proxies (or to one workload's) limits what they know about.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import {
  arr,
  describeObject,
  isRec,
  labelsOf,
  rec,
  sortOldestFirst,
  specOf,
  str,
  strMap,
  strs,
} from "../../../istio/fields";
import { hostCovers, parseServiceHost } from "../../../istio/hosts";
import { templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { readMeshConfig } from "../../../istio/mesh-config";
import { type CheckOutcome, defineCheck, type Snapshot } from "../../types";
import { evidenceOf, fail, listText, pass, rootNamespace, ZLabels, ZNamespace } from "../common";

/**
 * `./host` → `<ns>/host`; `host` (no namespace) → `*\/host`; `*\/<name>.<ns>.svc.cluster.local` →
 * `<ns>/...` (a Kubernetes service exists in its own namespace only).
 */
function normalizeEgressHost(entry: string, namespace: string): { ns: string; host: string } {
  const slash = entry.indexOf("/");
  const written = slash < 0 ? "*" : entry.slice(0, slash);
  const host = entry.slice(slash + 1).toLowerCase();
  const ns = written === "." ? namespace : written;
  return { ns: ns === "*" ? (parseServiceHost(host)?.namespace ?? ns) : ns, host };
}

/** `spec.workloadSelector.labels`; undefined for a namespace-wide Sidecar. */
function selectorOf(sc: KubeObject): Record<string, string> | undefined {
  const ws = specOf(sc).workloadSelector;
  return isRec(ws) ? strMap(ws.labels) : undefined;
}

const ZParams = z.strictObject({
  namespace: ZNamespace,
  workload: ZLabels.optional().describe(
    "labels of one workload's pods: grade the Sidecar that applies to it (the oldest whose workloadSelector selects its pods, else the namespace's one without selector, else the root namespace's one without selector)",
  ),
  hosts: z.array(z.string().min(1)).optional().describe("egress entries like ./*, istio-system/*, */httpbin.org"),
  onlyThese: z.boolean().default(false).describe("fail on egress entries beyond `hosts`"),
  outboundTrafficPolicy: z.enum(["REGISTRY_ONLY", "ALLOW_ANY"]).optional(),
});
type TParams = z.infer<typeof ZParams>;

/** The label sets of the workload's pods and pod templates (the labels asked for when none is found). */
function workloadLabelSets(snapshot: Snapshot, namespace: string, workload: Record<string, string>) {
  const sets = [
    ...snapshot.list(K.pod, namespace).map(labelsOf),
    ...snapshot.list(K.deployment, namespace).map((d) => templateOf(d).labels),
  ].filter((labels) => matchesLabels(workload, labels));
  const unique = new Map(sets.map((s) => [JSON.stringify(Object.entries(s).sort()), s]));
  return unique.size > 0 ? [...unique.values()] : [workload];
}

type Applied = { sidecar: KubeObject; label: string; note?: string } | { outcome: CheckOutcome };

/** The Sidecar Istio gives a proxy with these labels in the namespace (pilot's getSidecarScope). */
function sidecarForWorkload(snapshot: Snapshot, p: TParams, labels: Record<string, string>): Applied {
  const own = sortOldestFirst(snapshot.list(K.sidecar, p.namespace));
  const selecting = own.filter((s) => {
    const sel = selectorOf(s);
    return sel !== undefined && matchesLabels(sel, labels);
  });
  const who = `workload ${formatLabels(p.workload ?? labels)}`;
  if (selecting.length > 1)
    return {
      outcome: fail(
        `${listText(selecting.map(describeObject))} both select ${who} (IST0110); Istio uses the oldest, ${describeObject(selecting[0])}, and ignores the others`,
        selecting.map((s) => evidenceOf(s, "spec.workloadSelector", specOf(s).workloadSelector)),
      ),
    };
  if (selecting.length === 1)
    return {
      sidecar: selecting[0],
      label: `${describeObject(selecting[0])} (selects ${formatLabels(selectorOf(selecting[0]) ?? {})})`,
    };
  const missed = own
    .filter((s) => selectorOf(s) !== undefined)
    .map(
      (s) =>
        `${describeObject(s)} spec.workloadSelector.labels ${formatLabels(selectorOf(s) ?? {})} do not select its pods (${formatLabels(labels)})`,
    );
  const note = missed.length > 0 ? `${missed.join("; ")}, so this Sidecar applies` : undefined;
  const namespaceWide = own.filter((s) => selectorOf(s) === undefined);
  if (namespaceWide.length > 1) return { outcome: tooMany(p.namespace, namespaceWide) };
  if (namespaceWide.length === 1) return { sidecar: namespaceWide[0], label: describeObject(namespaceWide[0]), note };
  const root = rootNamespace(snapshot);
  const meshWide = sortOldestFirst(snapshot.list(K.sidecar, root)).filter((s) => selectorOf(s) === undefined);
  if (p.namespace !== root && meshWide.length > 0)
    return { sidecar: meshWide[0], label: `${describeObject(meshWide[0])} (mesh-wide)`, note };
  return {
    outcome: fail(
      `no Sidecar applies to ${who} in namespace ${p.namespace}${missed.length > 0 ? `: ${missed.join("; ")}` : ""}`,
      own.map((s) => evidenceOf(s, "spec.workloadSelector", specOf(s).workloadSelector)),
    ),
  };
}

/** `"./*", "istio-system/*"`, or `none`. */
function hostsText(hosts: { written: string }[]): string {
  return hosts.length > 0 ? hosts.map((h) => JSON.stringify(h.written)).join(", ") : "none";
}

function tooMany(namespace: string, sidecars: KubeObject[]): CheckOutcome {
  return fail(
    `namespace ${namespace} has ${sidecars.length} Sidecars without workloadSelector (${listText(sidecars.map(describeObject))}); Istio needs exactly one (IST0111)`,
    sidecars.map((s) => evidenceOf(s)),
  );
}

/** The namespace's own selector-less Sidecar (what a namespace-wide task asks for). */
function sidecarForNamespace(snapshot: Snapshot, p: TParams): Applied {
  const own = snapshot.list(K.sidecar, p.namespace);
  const sidecars = own.filter((s) => selectorOf(s) === undefined);
  if (sidecars.length > 1) return { outcome: tooMany(p.namespace, sidecars) };
  if (sidecars.length === 1) return { sidecar: sidecars[0], label: describeObject(sidecars[0]) };
  const scoped = own.map(
    (s) => `${describeObject(s)} applies only to workloads labelled ${formatLabels(selectorOf(s) ?? {})}`,
  );
  const root = rootNamespace(snapshot);
  const meshWide = snapshot.list(K.sidecar, root).filter((s) => selectorOf(s) === undefined);
  const notes = [
    ...scoped,
    ...(p.namespace !== root && meshWide.length > 0
      ? [`the root namespace's ${describeObject(sortOldestFirst(meshWide)[0])} applies to it instead`]
      : []),
  ];
  return {
    outcome: fail(
      `no Sidecar without workloadSelector in namespace ${p.namespace}${notes.length > 0 ? `: ${notes.join("; ")}` : ""}`,
      own.map((s) => evidenceOf(s, "spec.workloadSelector", specOf(s).workloadSelector)),
    ),
  };
}

/** Egress hosts and outbound traffic policy of the Sidecar that applies. */
function gradeSidecar(snapshot: Snapshot, p: TParams, sc: KubeObject, label: string, note?: string): CheckOutcome {
  const egress = arr(specOf(sc).egress).map(rec);
  const actual = egress
    .flatMap((e) => strs(e.hosts))
    .map((h) => ({ written: h, ...normalizeEgressHost(h, p.namespace) }));
  const wrong: string[] = [];
  const wanted = (p.hosts ?? []).map((h) => normalizeEgressHost(h, p.namespace));
  // `a` lies within `b`: the same namespace (or `b` is any namespace) and a host `b` covers.
  const within = (a: { ns: string; host: string }, b: { ns: string; host: string }) =>
    (a.ns === b.ns || b.ns === "*") && hostCovers(b.host, a.host);
  const lacking = (p.hosts ?? []).filter((_, i) => !actual.some((a) => within(wanted[i], a)));
  if (lacking.length > 0) wrong.push(`egress hosts (${hostsText(actual)}) lack ${listText(lacking)}`);
  if (p.onlyThese) {
    const extra = actual.filter((a) => !wanted.some((w) => within(a, w))).map((a) => a.written);
    if (extra.length > 0) wrong.push(`egress also allows ${listText(extra)}`);
  }
  const mode = str(rec(specOf(sc).outboundTrafficPolicy).mode);
  // Unset, the mesh config's mode applies (Istio's default ALLOW_ANY).
  const meshMode = str(rec(readMeshConfig(snapshot.list(K.configMap)).config.outboundTrafficPolicy).mode);
  if (p.outboundTrafficPolicy && (mode ?? meshMode) !== p.outboundTrafficPolicy) {
    wrong.push(
      `outboundTrafficPolicy.mode is ${mode ?? `unset (the mesh's ${meshMode} applies)`}, expected ${p.outboundTrafficPolicy}`,
    );
  }
  const evidence = [evidenceOf(sc, "spec.egress", specOf(sc).egress)];
  if (wrong.length > 0) return fail(`${label} spec: ${wrong.join("; ")}${note ? ` (${note})` : ""}`, evidence);
  const whose = p.workload ? `workload ${formatLabels(p.workload)}` : `namespace ${p.namespace}`;
  return pass(`${label} is the Sidecar of ${whose}, with egress hosts ${hostsText(actual)}`, evidence);
}

export const sidecarEgress = defineCheck({
  name: "sidecar.egress",
  description:
    "The Sidecar that applies limits the proxies' egress hosts to include each listed entry (`./*` equals `<namespace>/*`; a covering wildcard host, or `*/` for any namespace, counts). Without `workload`, the namespace must have exactly one Sidecar without workloadSelector (two is IST0111). With `workload`, the Sidecar Istio picks for that workload's pods: the oldest whose workloadSelector selects them (two is IST0110), else the namespace's selector-less one, else the root namespace's. Optionally the outbound traffic policy mode (unset, the mesh config's mode applies).",
  params: ZParams,
  example: { namespace: "shop", hosts: ["./*", "istio-system/*"] },
  kinds: [K.sidecar, K.configMap, K.pod, K.deployment],
  run(p, { snapshot }) {
    if (p.workload === undefined) {
      const applied = sidecarForNamespace(snapshot, p);
      return "outcome" in applied
        ? applied.outcome
        : gradeSidecar(snapshot, p, applied.sidecar, applied.label, applied.note);
    }
    const outcomes = workloadLabelSets(snapshot, p.namespace, p.workload).map((labels) => {
      const applied = sidecarForWorkload(snapshot, p, labels);
      return "outcome" in applied
        ? applied.outcome
        : gradeSidecar(snapshot, p, applied.sidecar, applied.label, applied.note);
    });
    return outcomes.find((o) => o.status !== "pass") ?? outcomes[0];
  },
});

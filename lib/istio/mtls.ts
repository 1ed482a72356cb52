// The mTLS mode a workload's sidecar accepts, composed as istiod does it (pilot's
// ComposePeerAuthentication): the oldest selector-less PeerAuthentication of the root namespace
// (mesh), then the oldest selector-less one of the workload's namespace, then the oldest one
// of that namespace whose selector matches the workload, then that policy's portLevelMtls for
// the port. Each level overrides the one before; a missing policy or UNSET mode inherits; the
// mesh's own default is PERMISSIVE. A policy with a selector in the root namespace applies to
// no workload, and an empty matchLabels counts as no selector.
import type { KubeObject } from "../cluster/types";
import { describeObject, rec, sortOldestFirst, specOf, str, strMap } from "./fields";
import { matchesLabels } from "./labels";

export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";

export interface MtlsTarget {
  namespace: string;
  /** labels of the workload's pods; omitted: a workload no selector matches */
  labels?: Record<string, string>;
  /** the workload (container) port the traffic is sent to */
  port?: number;
}

export interface MtlsLevel {
  level: "mesh" | "namespace" | "workload" | "port";
  policy: KubeObject;
  /** the field read, e.g. `spec.mtls.mode` or `spec.portLevelMtls[8080].mode` */
  field: string;
  /** what the field says: a mode, or UNSET (absent counts as UNSET) */
  written: string;
  /** newer policies of the same level that Istio ignores */
  ignored: KubeObject[];
}

export interface EffectiveMtls {
  mode: MtlsMode;
  /** the levels that had a policy, mesh first */
  levels: MtlsLevel[];
  /** the level whose mode won; undefined when every level is missing or UNSET (PERMISSIVE by default) */
  decidedBy?: MtlsLevel;
}

const selectorOf = (pa: KubeObject): Record<string, string> => strMap(rec(specOf(pa).selector).matchLabels);
const isSelectorLess = (pa: KubeObject): boolean => Object.keys(selectorOf(pa)).length === 0;
const modeText = (v: unknown): string => {
  const m = str(rec(v).mode);
  return m === undefined || m === "" ? "UNSET" : m;
};

export function effectiveMtls(pas: readonly KubeObject[], target: MtlsTarget, rootNamespace: string): EffectiveMtls {
  const levels: MtlsLevel[] = [];
  const oldest = (list: KubeObject[]): { used?: KubeObject; ignored: KubeObject[] } => {
    const sorted = sortOldestFirst(list);
    return { used: sorted[0], ignored: sorted.slice(1) };
  };
  const mesh = oldest(pas.filter((pa) => pa.metadata.namespace === rootNamespace && isSelectorLess(pa)));
  if (mesh.used)
    levels.push({
      level: "mesh",
      policy: mesh.used,
      field: "spec.mtls.mode",
      written: modeText(specOf(mesh.used).mtls),
      ignored: mesh.ignored,
    });
  if (target.namespace !== rootNamespace) {
    const ns = oldest(pas.filter((pa) => pa.metadata.namespace === target.namespace && isSelectorLess(pa)));
    if (ns.used)
      levels.push({
        level: "namespace",
        policy: ns.used,
        field: "spec.mtls.mode",
        written: modeText(specOf(ns.used).mtls),
        ignored: ns.ignored,
      });
    const labels = target.labels;
    const wl = labels
      ? oldest(
          pas.filter(
            (pa) =>
              pa.metadata.namespace === target.namespace &&
              !isSelectorLess(pa) &&
              matchesLabels(selectorOf(pa), labels),
          ),
        )
      : { used: undefined, ignored: [] };
    if (wl.used) {
      levels.push({
        level: "workload",
        policy: wl.used,
        field: "spec.mtls.mode",
        written: modeText(specOf(wl.used).mtls),
        ignored: wl.ignored,
      });
      const ports = rec(specOf(wl.used).portLevelMtls);
      if (target.port !== undefined && ports[String(target.port)] !== undefined)
        levels.push({
          level: "port",
          policy: wl.used,
          field: `spec.portLevelMtls[${target.port}].mode`,
          written: modeText(ports[String(target.port)]),
          ignored: [],
        });
    }
  }
  let mode: MtlsMode = "PERMISSIVE";
  let decidedBy: MtlsLevel | undefined;
  for (const l of levels) {
    if (l.written === "STRICT" || l.written === "PERMISSIVE" || l.written === "DISABLE") {
      mode = l.written;
      decidedBy = l;
    }
  }
  return { mode, levels, decidedBy };
}

/** How the mode came about, for messages: `PeerAuthentication shop/default spec.mtls.mode PERMISSIVE overrides ...`. */
export function explainMtls(e: EffectiveMtls): string {
  if (e.levels.length === 0) return "no PeerAuthentication applies, so the default PERMISSIVE holds";
  const text = (l: MtlsLevel): string =>
    `${describeObject(l.policy)} (${l.level}) ${l.field} ${l.written === "UNSET" ? "unset (inherits)" : l.written}`;
  const parts = e.levels.map(text);
  const ignored = e.levels.flatMap((l) => l.ignored);
  const note = ignored.length > 0 ? `; newer ${ignored.map(describeObject).join(", ")} ignored (the oldest wins)` : "";
  const decided = e.decidedBy
    ? `decided by ${text(e.decidedBy)}`
    : "every level is unset, so the default PERMISSIVE holds";
  return `${decided}; levels: ${parts.join(" → ")}${note}`;
}

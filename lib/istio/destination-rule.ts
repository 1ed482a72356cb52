// The DestinationRule a client uses for a host (pilot's PushContext.destinationRule).
// Lookup, first hit wins, most specific host first: the client's namespace, then the
// service's namespace (rules exported to the client), then the root namespace. There is no
// field-level inheritance between those. Rules for the same host in one namespace merge:
// subsets append (duplicate names dropped), the oldest top-level trafficPolicy wins; but only
// rules with the same exportTo merge (ENABLE_ENHANCED_DESTINATIONRULE_MERGE, on by default): others
// stay apart and the one listed last applies whole (pilot's SidecarScope.DestinationRule).
import type { KubeObject } from "../cluster/types";
import { isExportedTo, isPrivate } from "./export-to";
import { arr, describeObject, isRec, type Rec, rec, sortOldestFirst, specOf, str, strMap, strs } from "./fields";
import { mostSpecificHost, parseServiceHost, resolveHost } from "./hosts";
import { exportToProblem } from "./validation";

export interface Subset {
  name: string;
  labels: Record<string, string>;
  trafficPolicy?: Rec;
  /** the DestinationRule defining it and the field path */
  source: KubeObject;
  path: string;
}

export interface DestinationRuleView {
  /** the DR host that matched, resolved */
  host: string;
  namespace: string;
  /** how it was found */
  scope: "client namespace" | "service namespace" | "root namespace";
  /** every DR merged into this view, oldest first */
  sources: KubeObject[];
  subsets: Subset[];
  /** subsets with a name already defined, dropped by the merge */
  droppedSubsets: Subset[];
  trafficPolicy?: Rec;
  trafficPolicySource?: KubeObject;
}

export interface DestinationRuleLookup {
  /** the host a client calls, resolved */
  host: string;
  clientNamespace: string;
  /** namespace of the service; read from a `<name>.<ns>.svc.cluster.local` host when omitted */
  serviceNamespace?: string;
  rootNamespace?: string;
}

export function drHost(dr: KubeObject): string {
  return resolveHost(str(specOf(dr).host) ?? "", dr.metadata.namespace ?? "");
}

export function findDestinationRule(
  destinationRules: readonly KubeObject[],
  q: DestinationRuleLookup,
): DestinationRuleView | undefined {
  const rootNs = q.rootNamespace ?? "istio-system";
  // A DR with a workloadSelector applies only to the workloads it selects; client-agnostic grading leaves it out.
  // One whose exportTo Istio's validation rejects never reaches the cluster.
  const usable = sortOldestFirst(
    destinationRules.filter(
      (dr) => !isRec(specOf(dr).workloadSelector) && drHost(dr) !== "" && exportToProblem(dr) === undefined,
    ),
  );
  const inNs = (ns: string): KubeObject[] => usable.filter((dr) => dr.metadata.namespace === ns);

  // 1. the client's namespace: every DR there is visible to it (unless exported nowhere). A client in
  // the root namespace (a gateway) looks only at the root's private rules here; its exported ones come last.
  const isRootClient = q.clientNamespace === rootNs;
  const local = inNs(q.clientNamespace).filter((dr) =>
    isRootClient ? isPrivate(dr) : isExportedTo(dr, q.clientNamespace),
  );
  const fromLocal = pick(local, q.host);
  if (fromLocal)
    return view(
      consolidate(fromLocal).at(-1) ?? fromLocal,
      q.clientNamespace,
      isRootClient ? "root namespace" : "client namespace",
    );

  // 2. the service's namespace, then 3. the root namespace: only rules exported beyond their namespace
  const serviceNs = q.serviceNamespace ?? parseServiceHost(q.host)?.namespace;
  const tries: [string | undefined, DestinationRuleView["scope"]][] = [
    [serviceNs, "service namespace"],
    [rootNs, "root namespace"],
  ];
  for (const [ns, scope] of tries) {
    if (!ns || (ns === q.clientNamespace && !isRootClient)) continue;
    // (a DR exported to `~` is not `usable`: Istio's validation rejects it)
    const exported = inNs(ns).filter((dr) => !isPrivate(dr));
    const found = pick(exported, q.host);
    // Istio checks visibility on the most specific host's rules only; it does not fall back to a broader host.
    const last = consolidate(found ?? [])
      .filter((g) => visibleGroup(g, q.clientNamespace))
      .at(-1);
    if (last) return view(last, ns, scope);
  }
  return undefined;
}

/** A consolidated rule is visible when its exportTo (its first rule's) is empty, `*` or names the client. */
function visibleGroup(group: KubeObject[], clientNamespace: string): boolean {
  const exportTo = strs(specOf(group[0]).exportTo);
  return exportTo.length === 0 || exportTo.includes("*") || exportTo.includes(clientNamespace);
}

/**
 * Same-host rules of one namespace, oldest first, consolidated as pilot's mergeDestinationRule
 * does: a rule merges into each earlier group with the same exportTo set; into a group whose
 * non-empty exportTo its own includes, it merges and also stands alone; otherwise it stands alone.
 */
function consolidate(drs: KubeObject[]): KubeObject[][] {
  const groups: KubeObject[][] = [];
  for (const dr of drs) {
    const mine = new Set(strs(specOf(dr).exportTo));
    let separate = true;
    for (const g of [...groups]) {
      const theirs = new Set(strs(specOf(g[0]).exportTo));
      const same = mine.size === theirs.size && [...mine].every((e) => theirs.has(e));
      if (same) separate = false;
      else if (theirs.size > 0 && [...theirs].every((e) => mine.has(e))) separate = true;
      else {
        separate = true;
        continue;
      }
      g.push(dr);
    }
    if (separate) groups.push([dr]);
  }
  return groups;
}

/** The DRs of the most specific host matching `host`, oldest first. */
function pick(drs: KubeObject[], host: string): KubeObject[] | undefined {
  const best = mostSpecificHost(host, new Set(drs.map(drHost)));
  if (best === undefined) return undefined;
  return drs.filter((dr) => drHost(dr) === best);
}

function view(drs: KubeObject[], namespace: string, scope: DestinationRuleView["scope"]): DestinationRuleView {
  const subsets: Subset[] = [];
  const droppedSubsets: Subset[] = [];
  let trafficPolicy: Rec | undefined;
  let trafficPolicySource: KubeObject | undefined;
  for (const dr of drs) {
    const spec = specOf(dr);
    arr(spec.subsets).forEach((s, i) => {
      const subset: Subset = {
        name: str(rec(s).name) ?? "",
        labels: strMap(rec(s).labels),
        trafficPolicy: isRec(rec(s).trafficPolicy) ? rec(rec(s).trafficPolicy) : undefined,
        source: dr,
        path: `spec.subsets[${i}]`,
      };
      (subsets.some((x) => x.name === subset.name) ? droppedSubsets : subsets).push(subset);
    });
    if (trafficPolicy === undefined && isRec(spec.trafficPolicy)) {
      trafficPolicy = spec.trafficPolicy;
      trafficPolicySource = dr;
    }
  }
  return {
    host: drHost(drs[0]),
    namespace,
    scope,
    sources: drs,
    subsets,
    droppedSubsets,
    trafficPolicy,
    trafficPolicySource,
  };
}

const PORT_LEVEL_FIELDS = ["loadBalancer", "connectionPool", "outlierDetection", "tls"] as const;

/**
 * The traffic policy that applies to a subset (and port): a subset's policy overrides the
 * top level field by field (loadBalancer, connectionPool, outlierDetection, tls); a
 * portLevelSettings entry replaces those four for its port, inheriting none of them (pilot's
 * getPortLevelTrafficPolicy / MergeSubsetTrafficPolicy). `from` names where each field came from.
 */
export function effectivePolicy(
  dr: DestinationRuleView,
  subsetName?: string,
  port?: number,
): { policy: Rec; from: Record<string, string> } {
  const policy: Rec = {};
  const from: Record<string, string> = {};
  const layer = (p: Rec | undefined, where: string): void => {
    if (!p) return;
    for (const [k, v] of Object.entries(p)) {
      if (k === "portLevelSettings") continue;
      policy[k] = v;
      from[k] = where;
    }
    if (port === undefined) return;
    arr(p.portLevelSettings).forEach((s, i) => {
      const ps = rec(s);
      if (rec(ps.port).number !== port) return;
      // A port's settings replace these fields whole: what the port leaves unset takes Istio's default.
      for (const k of PORT_LEVEL_FIELDS) {
        delete policy[k];
        delete from[k];
      }
      for (const [k, v] of Object.entries(ps)) {
        if (k === "port") continue;
        policy[k] = v;
        from[k] = `${where}.portLevelSettings[${i}]`;
      }
    });
  };
  if (dr.trafficPolicySource) layer(dr.trafficPolicy, `${describeObject(dr.trafficPolicySource)} spec.trafficPolicy`);
  if (subsetName !== undefined) {
    const subset = dr.subsets.find((s) => s.name === subsetName);
    if (subset) layer(subset.trafficPolicy, `${describeObject(subset.source)} ${subset.path}.trafficPolicy`);
  }
  return { policy, from };
}

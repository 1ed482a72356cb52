// Access logging as a sidecar gets it (pilot/pkg/model/telemetry.go and the access log builder,
// 1.26): the Telemetry API first (root namespace, then namespace, then workload; within a level
// the oldest object wins), mesh config `accessLogFile` / `enableEnvoyAccessLogService` only when
// no Telemetry with `accessLogging` applies and the mesh has no default access-log provider.
import type { KubeObject } from "../cluster/types";
import { arr, bool, isRec, type Rec, rec, sortOldestFirst, specOf, str, strMap } from "./fields";
import { matchesLabels } from "./labels";

export type LogDirection = "inbound" | "outbound";

/** One way the proxy logs access: a file (path) or a stream to a collector (gRPC/OTel). */
export interface AccessLogSink {
  provider: string;
  /** file path for file providers */
  file?: string;
  /** what kind of sink it is, in words */
  kind: "file" | "stream" | "none";
}

export interface AccessLogVerdict {
  /** sinks in effect, per direction */
  inbound: AccessLogSink[];
  outbound: AccessLogSink[];
  /** what decided, in words (names the objects and fields) */
  reason: string;
}

/** The built-in extension providers every mesh has (pkg/config/mesh DefaultMeshConfig). */
const BUILTIN_PROVIDERS: Rec[] = [
  { name: "prometheus", prometheus: {} },
  { name: "stackdriver", stackdriver: {} },
  { name: "envoy", envoyFileAccessLog: { path: "/dev/stdout" } },
];

/** Mesh extension providers: the built-ins, replaced by name (or added to) by the mesh config's own. */
export function extensionProviders(mesh: Rec): Rec[] {
  const out = BUILTIN_PROVIDERS.map((p) => ({ ...p }));
  for (const raw of arr(mesh.extensionProviders)) {
    const p = rec(raw);
    const name = str(p.name);
    if (!name) continue;
    const i = out.findIndex((e) => e.name === name);
    if (i >= 0) out[i] = p;
    else out.push(p);
  }
  return out;
}

function sinkOf(name: string, providers: readonly Rec[]): AccessLogSink {
  const p = providers.find((e) => str(e.name)?.toLowerCase() === name.toLowerCase());
  if (!p) return { provider: name, kind: "none" };
  if (isRec(p.envoyFileAccessLog)) return { provider: name, kind: "file", file: str(p.envoyFileAccessLog.path) ?? "" };
  if (isRec(p.envoyHttpAls) || isRec(p.envoyTcpAls) || isRec(p.envoyOtelAls)) return { provider: name, kind: "stream" };
  return { provider: name, kind: "none" }; // prometheus, tracers...: no access log
}

/** A Telemetry's workload selector; empty means the whole namespace. */
export function telemetrySelector(t: KubeObject): Record<string, string> {
  return strMap(rec(specOf(t).selector).matchLabels);
}

/** Telemetries that target gateways/waypoints by reference never apply to a sidecar. */
function hasTargetRefs(t: KubeObject): boolean {
  const spec = specOf(t);
  return isRec(spec.targetRef) || arr(spec.targetRefs).length > 0;
}

interface Level {
  object: KubeObject;
  entries: Rec[];
}

/** The Telemetries that apply to a workload, root → namespace → workload (the later override). */
export function applicableTelemetries(
  telemetries: readonly KubeObject[],
  rootNamespace: string,
  namespace: string,
  labels: Record<string, string>,
): { all: KubeObject[]; logging: Level[] } {
  const sorted = sortOldestFirst(telemetries.filter((t) => !hasTargetRefs(t)));
  const wide = (ns: string) =>
    sorted.find((t) => t.metadata.namespace === ns && Object.keys(telemetrySelector(t)).length === 0);
  const picked: KubeObject[] = [];
  const root = wide(rootNamespace);
  if (root) picked.push(root);
  if (namespace !== rootNamespace) {
    const own = wide(namespace);
    if (own) picked.push(own);
  }
  const workload = sorted.find((t) => {
    const sel = telemetrySelector(t);
    return t.metadata.namespace === namespace && Object.keys(sel).length > 0 && matchesLabels(sel, labels);
  });
  if (workload) picked.push(workload);
  const logging = picked
    .map((object) => ({ object, entries: arr(specOf(object).accessLogging).map(rec) }))
    .filter((l) => l.entries.length > 0);
  return { all: picked, logging };
}

const providerNames = (entry: Rec): string[] =>
  arr(entry.providers)
    .map((p) => str(rec(p).name))
    .filter((n): n is string => n !== undefined && n !== "");

function matchesMode(entry: Rec, direction: LogDirection): boolean {
  const mode = str(rec(entry.match).mode);
  if (mode === undefined || mode === "CLIENT_AND_SERVER") return true;
  return mode === (direction === "inbound" ? "SERVER" : "CLIENT");
}

/** mergeLogs: the providers in effect for one direction (inbound = SERVER, outbound = CLIENT). */
function mergeLogs(levels: readonly Level[], defaults: readonly string[], direction: LogDirection): string[] {
  if (levels.length === 0) return [...defaults];
  let inScope = [...defaults];
  for (const l of levels) {
    const names = new Set(l.entries.flatMap(providerNames));
    if (names.size > 0) inScope = [...names];
  }
  const providers = new Set<string>();
  let parent = [...defaults];
  for (const l of levels) {
    for (const entry of l.entries) {
      let names = providerNames(entry);
      if (names.length === 0) names = parent;
      parent = names;
      for (const p of names) {
        if (!inScope.includes(p) || !matchesMode(entry, direction)) continue;
        if (bool(entry.disabled) === true) providers.delete(p);
        else providers.add(p);
      }
    }
  }
  return [...providers];
}

const nameOf = (o: KubeObject) => `Telemetry ${o.metadata.namespace}/${o.metadata.name}`;

/** Does a workload (namespace + its pod labels) log access, and where to. `mesh` has defaults applied. */
export function accessLogging(
  mesh: Rec,
  telemetries: readonly KubeObject[],
  namespace: string,
  labels: Record<string, string>,
): AccessLogVerdict {
  const rootNamespace = str(mesh.rootNamespace) ?? "istio-system";
  const providers = extensionProviders(mesh);
  const defaults = arr(rec(mesh.defaultProviders).accessLogging)
    .map((n) => str(n))
    .filter((n): n is string => n !== undefined);
  const { logging } = applicableTelemetries(telemetries, rootNamespace, namespace, labels);
  if (logging.length === 0 && defaults.length === 0) {
    // No Telemetry API configured: the legacy mesh config settings
    const sinks: AccessLogSink[] = [];
    const file = str(mesh.accessLogFile) ?? "";
    if (file !== "") sinks.push({ provider: "mesh config accessLogFile", kind: "file", file });
    if (bool(mesh.enableEnvoyAccessLogService) === true)
      sinks.push({ provider: "mesh config enableEnvoyAccessLogService", kind: "stream" });
    const reason =
      sinks.length > 0
        ? `no Telemetry with accessLogging applies, so the mesh config decides: ${sinks.map((s) => (s.file ? `accessLogFile ${s.file}` : "enableEnvoyAccessLogService (gRPC access log service, no file)")).join(" and ")}`
        : 'no Telemetry with accessLogging applies and the mesh config accessLogFile is "" (access logs off)';
    return { inbound: sinks, outbound: sinks, reason };
  }
  const per = (direction: LogDirection) =>
    mergeLogs(logging, defaults, direction)
      .map((p) => sinkOf(p, providers))
      .filter((s) => s.kind !== "none");
  const levelOf = (o: KubeObject) => {
    if (Object.keys(telemetrySelector(o)).length > 0) return "workload selector";
    return o.metadata.namespace === rootNamespace ? "mesh-wide" : "namespace-wide";
  };
  const decidedBy =
    logging.length > 0
      ? `${logging.map((l) => `${nameOf(l.object)} (${levelOf(l.object)})`).join(", then ")} spec.accessLogging`
      : `mesh config defaultProviders.accessLogging ${JSON.stringify(defaults)}`;
  const noProviders =
    defaults.length === 0 && logging.every((l) => l.entries.every((e) => providerNames(e).length === 0))
      ? " (an accessLogging entry without providers uses the mesh's defaultProviders.accessLogging, which is empty)"
      : "";
  const ignored = str(mesh.accessLogFile) ? " (the Telemetry API takes precedence over mesh config accessLogFile)" : "";
  return { inbound: per("inbound"), outbound: per("outbound"), reason: `${decidedBy} decides${noProviders}${ignored}` };
}

export function describeSinks(sinks: readonly AccessLogSink[]): string {
  if (sinks.length === 0) return "no access log";
  return sinks
    .map((s) => (s.kind === "file" ? `${s.provider} → file ${s.file}` : `${s.provider} → streamed to a collector`))
    .join(", ");
}

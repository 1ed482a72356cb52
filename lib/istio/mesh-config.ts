// Mesh config: ConfigMap `istio` (or `istio-<rev>`) in istiod's namespace, key `mesh`, a YAML
// string. Absent keys take Istio's defaults (pkg/config/mesh DefaultMeshConfig, 1.26): a check
// must never read "absent" as "false".
import { parse } from "yaml";
import type { KubeObject } from "../cluster/types";
import { isRec, type Rec, rec, str } from "./fields";

const MESH_DEFAULTS: Readonly<Rec> = Object.freeze({
  enableTracing: true,
  accessLogFile: "",
  accessLogEncoding: "TEXT",
  accessLogFormat: "",
  enableEnvoyAccessLogService: false,
  enablePrometheusMerge: true,
  enableAutoMtls: true,
  protocolDetectionTimeout: "0s",
  ingressService: "istio-ingressgateway",
  ingressControllerMode: "STRICT",
  ingressClass: "istio",
  trustDomain: "cluster.local",
  trustDomainAliases: [],
  outboundTrafficPolicy: { mode: "ALLOW_ANY" },
  inboundTrafficPolicy: { mode: "PASSTHROUGH" },
  localityLbSetting: { enabled: true },
  rootNamespace: "istio-system",
  proxyListenPort: 15001,
  connectTimeout: "10s",
  defaultServiceExportTo: ["*"],
  defaultVirtualServiceExportTo: ["*"],
  defaultDestinationRuleExportTo: ["*"],
  dnsRefreshRate: "60s",
  defaultConfig: {
    discoveryAddress: "istiod.istio-system.svc:15012",
    proxyAdminPort: 15000,
    statusPort: 15020,
    concurrency: 2,
    drainDuration: "45s",
    terminationDrainDuration: "5s",
    controlPlaneAuthPolicy: "MUTUAL_TLS",
    holdApplicationUntilProxyStarts: false,
    tracing: { zipkin: { address: "zipkin.istio-system:9411" } },
  },
});

/**
 * Enum fields of MeshConfig (istio.io/api mesh/v1alpha1, 1.26) and their values by number. Istio
 * parses the mesh config with protobuf's JSON rules: an enum is its exact name or its number; any
 * other value (`registry_only`, `Registry_Only`) fails the whole mesh config, and istiod keeps the
 * config it had.
 */
const MESH_ENUMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "outboundTrafficPolicy.mode": ["REGISTRY_ONLY", "ALLOW_ANY"],
  "inboundTrafficPolicy.mode": ["PASSTHROUGH", "LOCALHOST"],
  ingressControllerMode: ["UNSPECIFIED", "OFF", "DEFAULT", "STRICT"],
  accessLogEncoding: ["TEXT", "JSON"],
  h2UpgradePolicy: ["DO_NOT_UPGRADE", "UPGRADE"],
});

/** Writes enum numbers as their names; returns the first value Istio cannot parse, if any. */
function normalizeEnums(written: Rec): { path: string; value: unknown; allowed: readonly string[] } | undefined {
  for (const [path, names] of Object.entries(MESH_ENUMS)) {
    const keys = path.split(".");
    let parent: unknown = written;
    for (const k of keys.slice(0, -1)) parent = isRec(parent) ? parent[k] : undefined;
    if (!isRec(parent)) continue;
    const last = keys[keys.length - 1];
    const value = parent[last];
    if (value === undefined || value === null) continue;
    if (typeof value === "string" && names.includes(value)) continue;
    if (typeof value === "number" && Number.isInteger(value) && names[value] !== undefined) {
      parent[last] = names[value];
      continue;
    }
    return { path, value, allowed: names };
  }
  return undefined;
}

export interface MeshConfigRead {
  /** defaults with the ConfigMap's values applied */
  config: Rec;
  /** what the ConfigMap itself says */
  written: Rec;
  /** the ConfigMap read, when found */
  source?: KubeObject;
  /** why the ConfigMap could not be used, when it could not */
  problem?: string;
}

export interface MeshConfigLocation {
  /** istiod's namespace, default istio-system */
  namespace?: string;
  /** an Istio revision: reads `istio-<revision>` (`default` reads `istio`) */
  revision?: string;
}

export function meshConfigMapName(revision?: string): string {
  return revision && revision !== "default" ? `istio-${revision}` : "istio";
}

export function readMeshConfig(configMaps: readonly KubeObject[], where: MeshConfigLocation = {}): MeshConfigRead {
  const namespace = where.namespace ?? "istio-system";
  const name = meshConfigMapName(where.revision);
  const source = configMaps.find((cm) => cm.metadata.name === name && cm.metadata.namespace === namespace);
  const defaults = structuredClone(MESH_DEFAULTS) as Rec;
  if (!source)
    return { config: defaults, written: {}, problem: `ConfigMap ${namespace}/${name} not found (is Istio installed?)` };
  const text = str(rec(source.data).mesh);
  if (text === undefined)
    return { config: defaults, written: {}, source, problem: `ConfigMap ${namespace}/${name} has no key "mesh"` };
  let written: unknown;
  try {
    written = parse(text, { logLevel: "error" });
  } catch (e) {
    return {
      config: defaults,
      written: {},
      source,
      problem: `ConfigMap ${namespace}/${name} data.mesh is not valid YAML: ${(e as Error).message.split("\n")[0]}`,
    };
  }
  if (written === null || written === undefined) return { config: defaults, written: {}, source };
  if (!isRec(written))
    return {
      config: defaults,
      written: {},
      source,
      problem: `ConfigMap ${namespace}/${name} data.mesh is not a mapping`,
    };
  const wrongEnum = normalizeEnums(written);
  if (wrongEnum) {
    const shown = typeof wrongEnum.value === "string" ? `"${wrongEnum.value}"` : JSON.stringify(wrongEnum.value);
    return {
      config: defaults,
      written,
      source,
      problem: `ConfigMap ${namespace}/${name} data.mesh ${wrongEnum.path} is ${shown}, which Istio cannot parse (one of ${wrongEnum.allowed.join(", ")}, exactly in that case): istiod rejects the whole mesh config and keeps the one it had`,
    };
  }
  return { config: mergeDefaults(defaults, written), written, source };
}

/** Written values replace defaults; nested mappings merge key by key; lists replace. */
function mergeDefaults(defaults: Rec, written: Rec): Rec {
  const out: Rec = { ...defaults };
  for (const [k, v] of Object.entries(written)) {
    out[k] = isRec(v) && isRec(out[k]) ? mergeDefaults(out[k] as Rec, v) : v;
  }
  return out;
}

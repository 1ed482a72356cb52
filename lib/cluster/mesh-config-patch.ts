// An answer that changes the mesh config is written as an IstioOperator holding only
// `spec.meshConfig`, the form `istioctl install -f` takes. Applied to a cluster, each key it sets
// is written into the mesh config (ConfigMap istio-system/istio, key `mesh`) and every other key
// stays as it is: what a learner does with `kubectl edit configmap istio -n istio-system`.
import { stringify } from "yaml";
import { MESH_CONFIGMAP, MESH_ROOT_NAMESPACE, restoreMeshConfigKeys } from "./mesh-config-keys";
import { groupOf, type KubeObject } from "./types";

const GROUP = "install.istio.io";
const KIND = "IstioOperator";

export function isMeshConfigPatch(o: Pick<KubeObject, "apiVersion" | "kind">): boolean {
  return o.kind === KIND && groupOf(o.apiVersion) === GROUP;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** spec.meshConfig, or {} when there is none. */
export function meshConfigOf(o: KubeObject): Record<string, unknown> {
  const spec = (o as { spec?: unknown }).spec;
  const meshConfig = isPlainMap(spec) ? spec.meshConfig : undefined;
  return isPlainMap(meshConfig) ? meshConfig : {};
}

/** What an IstioOperator sets besides spec.meshConfig (an answer file may not install anything). */
export function unsupportedFields(o: KubeObject): string[] {
  const spec = (o as { spec?: unknown }).spec;
  if (!isPlainMap(spec)) return [];
  return Object.keys(spec)
    .filter((k) => k !== "meshConfig")
    .map((k) => `spec.${k}`);
}

/**
 * The dotted keys of the leaves a patch sets; a list is one leaf. Maps merge key by key, as
 * istioctl overlays meshConfig and Helm merges it into the mesh config, so an empty map sets nothing.
 */
export function meshConfigKeys(meshConfig: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(meshConfig).flatMap(([k, v]) =>
    isPlainMap(v) ? meshConfigKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** The mesh config text with the patches' keys set, in order; every other key stays as written. */
export function applyMeshConfigPatches(text: string | null, patches: readonly KubeObject[]): string {
  let next = text ?? "";
  for (const patch of patches) {
    const meshConfig = meshConfigOf(patch);
    next = restoreMeshConfigKeys(next, stringify(meshConfig), meshConfigKeys(meshConfig));
  }
  return next;
}

/** Whether a key the scenario declares (mesh.config) covers `key`: the same key or a map above it. */
export function isKeyDeclared(key: string, declared: readonly string[]): boolean {
  return declared.some((d) => key === d || key.startsWith(`${d}.`));
}

/**
 * The ConfigMaps as a cluster would hold them once the patches were applied: istio-system/istio
 * with their keys set in its `mesh` (created when there is none).
 */
export function withMeshConfigPatches(configMaps: readonly KubeObject[], patches: readonly KubeObject[]): KubeObject[] {
  if (patches.length === 0) return [...configMaps];
  const isMeshMap = (o: KubeObject) =>
    o.metadata.namespace === MESH_ROOT_NAMESPACE && o.metadata.name === MESH_CONFIGMAP;
  const current = configMaps.find(isMeshMap) as (KubeObject & { data?: Record<string, string> }) | undefined;
  const mesh = applyMeshConfigPatches(current?.data?.mesh ?? null, patches);
  const patched: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    ...current,
    metadata: { ...current?.metadata, name: MESH_CONFIGMAP, namespace: MESH_ROOT_NAMESPACE },
    data: { ...current?.data, mesh },
  } as KubeObject;
  return [...configMaps.filter((o) => !isMeshMap(o)), patched];
}

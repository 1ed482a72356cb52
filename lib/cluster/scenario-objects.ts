// Setting a scenario up on a cluster and taking it away again (Prepare and Reset).
import { readFileSync, statSync } from "node:fs";
import { stringify } from "yaml";
import type { ActiveCluster } from "./active-cluster";
import { deletedRef, isDeleteMarker } from "./delete-marker";
import type { ProgressFn } from "./drivers/types";
import { loadFileCluster, type ManifestSource, manifestFiles, parseManifests } from "./file-cluster";
import { runKubectl } from "./kubectl";
import { applyMeshConfigPatches, isMeshConfigPatch, meshConfigKeys, meshConfigOf } from "./mesh-config-patch";
import {
  ensureMeshBaseline,
  isMeshScopeEmpty,
  kubectlRunnerFor,
  type MeshScope,
  restoreMeshConfig,
  restoreMeshScope,
  updateMeshConfig,
} from "./mesh-scope";
import { emptyNamespaces, protectedNamespaces, ResetRefusedError } from "./reset-namespaces";
import { isScript, runScript } from "./run-script";
import { groupOf, type KubeObject, kindKey } from "./types";

export class ClusterCommandError extends Error {}

async function kubectlOrThrow(cluster: ActiveCluster, args: string[], timeoutMs?: number): Promise<string> {
  const r = await runKubectl(cluster, args, timeoutMs);
  if (r.code !== 0) throw new ClusterCommandError(`kubectl ${args.join(" ")}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/**
 * The scenario namespaces that do not exist yet (all of them on a fresh cluster). A cluster that
 * does not answer within `timeoutMs` is a ClusterCommandError saying so.
 */
export async function missingNamespaces(
  cluster: ActiveCluster,
  namespaces: readonly string[],
  timeoutMs = 15_000,
): Promise<string[]> {
  const started = Date.now();
  const out = await kubectlOrThrow(
    cluster,
    ["get", "namespaces", "-o", "jsonpath={.items[*].metadata.name}"],
    timeoutMs,
  ).catch((e: Error) => {
    if (Date.now() - started < timeoutMs) throw e;
    throw new ClusterCommandError(`the cluster did not answer within ${Math.round(timeoutMs / 100) / 10} s`);
  });
  const existing = new Set(out.split(/\s+/));
  return namespaces.filter((ns) => !existing.has(ns));
}

/**
 * Puts the mesh-wide state the scenario declares back as the cluster's mesh baseline has it
 * (recording the baseline first when the cluster has none), empties the scenario's namespaces
 * (they are kept: see reset-namespaces.ts), applies its setup in order and waits for its
 * Deployments to roll out.
 */
export async function setUpScenario(
  cluster: ActiveCluster,
  scenario: { namespaces: readonly string[]; setup: readonly ManifestSource[]; mesh?: MeshScope },
  onProgress: ProgressFn,
): Promise<void> {
  const refused = protectedNamespaces(scenario.namespaces);
  if (refused.length > 0)
    throw new ResetRefusedError(`Reset never empties ${refused.join(", ")}: a scenario may not own it`);
  if (cluster.bare) {
    // started over from bare: no Istio yet, so no mesh baseline; nothing mesh-wide to put back
  } else if (scenario.mesh && !isMeshScopeEmpty(scenario.mesh)) {
    await restoreMeshScope(cluster, scenario.mesh, onProgress);
  } else {
    // The first setup on a cluster without a baseline records one, before anything changes; a
    // scenario that declares no mesh scope does not need it, so a failure only says so.
    await ensureMeshBaseline(cluster, onProgress).catch((e: Error) =>
      onProgress(`Could not record the mesh baseline: ${e.message}`),
    );
  }
  const defined = loadFileCluster(scenario.setup)
    .cluster.all()
    .filter((o) => o.kind === "Namespace");
  await emptyNamespaces(cluster, scenario.namespaces, defined, onProgress);
  for (const step of scenario.setup) {
    const name = step.path.split("/").slice(-2).join("/");
    onProgress(`Applying ${name}${step.namespace ? ` in ${step.namespace}` : ""}...`);
    const applied = await applyManifests(cluster, step);
    if (!applied.ok) throw new ClusterCommandError(`kubectl apply -f ${name}: ${applied.message}`);
    for (const line of applied.output.trim().split("\n").filter(Boolean)) onProgress(`  ${line}`);
  }
  await waitForRollouts(cluster, scenario.setup, onProgress);
  onProgress("Ready.");
}

/**
 * Waits until every Deployment the sources define has rolled out, as `kubectl rollout status`
 * says: its new pods ready and the old ones gone (so pods created before a change, such as an
 * injection label, are not graded in its place).
 */
export async function waitForRollouts(
  cluster: ActiveCluster,
  sources: readonly ManifestSource[],
  onProgress: ProgressFn = () => {},
): Promise<void> {
  const deployments = loadFileCluster(sources)
    .cluster.all()
    .filter((o) => o.kind === "Deployment" && o.apiVersion === "apps/v1");
  for (const d of deployments) {
    const ns = d.metadata.namespace ?? "default";
    onProgress(`Waiting for Deployment ${ns}/${d.metadata.name}...`);
    const r = await runKubectl(
      cluster,
      ["rollout", "status", "-n", ns, `deployment/${d.metadata.name}`, "--timeout=90s"],
      100_000,
    );
    if (r.code !== 0) throw new ClusterCommandError((r.stderr || r.stdout).trim());
  }
}

export type ApplyResult = { ok: true; output: string } | { ok: false; message: string };

/**
 * `kubectl apply` of a manifest file or folder (recursively); a refusal is returned with the API
 * server's words. Two kinds of answer are not applied as written: a delete marker
 * (delete-marker.ts) is `kubectl delete` of the object it names, and a mesh config answer
 * (IstioOperator spec.meshConfig) is set key by key in the mesh config, as a learner edits
 * ConfigMap istio-system/istio. A shell script (`*.sh`, run-script.ts) is run, not applied.
 */
export async function applyManifests(cluster: ActiveCluster, source: ManifestSource): Promise<ApplyResult> {
  if (isScript(source.path)) return runScript(cluster, source.path);
  const ns = source.namespace ? ["-n", source.namespace] : [];
  const objects = manifestObjects(source);
  const patches = objects.filter(isMeshConfigPatch);
  const markers = objects.filter(isDeleteMarker);
  if (patches.length === 0 && markers.length === 0) {
    const recursive = statSync(source.path).isDirectory() ? ["-R"] : [];
    const r = await runKubectl(cluster, ["apply", ...ns, ...recursive, "-f", source.path]);
    return r.code === 0 ? { ok: true, output: r.stdout } : { ok: false, message: (r.stderr || r.stdout).trim() };
  }
  let output = "";
  const kubectlWith = async (args: string[], items: KubeObject[]) => {
    const r = await runKubectl(
      cluster,
      [...args, ...ns, "-f", "-"],
      undefined,
      stringify({ apiVersion: "v1", kind: "List", items }),
    );
    output += r.stdout;
    return r.code === 0 ? undefined : (r.stderr || r.stdout).trim();
  };
  const others = objects.filter((o) => !isMeshConfigPatch(o) && !isDeleteMarker(o));
  const refused =
    (others.length > 0 ? await kubectlWith(["apply"], others) : undefined) ??
    (markers.length > 0 ? await kubectlWith(["delete", "--ignore-not-found"], markers.map(deletedRef)) : undefined);
  if (refused) return { ok: false, message: refused };
  if (patches.length === 0) return { ok: true, output };
  try {
    const outcome = await updateMeshConfig(kubectlRunnerFor(cluster), (text) => applyMeshConfigPatches(text, patches));
    const keys = patches.flatMap((p) => meshConfigKeys(meshConfigOf(p)));
    return { ok: true, output: `${output}mesh config ${keys.join(", ")}: ${outcome}\n` };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/**
 * Deletes the objects that `sources` define and `keep` does not (same group, kind, namespace
 * and name), without waiting: what one stage of a proof added on top of another. Mesh config
 * keys that `sources` set and `keep` does not go back to the mesh baseline.
 */
export async function deleteObjectsNotIn(
  cluster: ActiveCluster,
  sources: readonly ManifestSource[],
  keep: readonly ManifestSource[],
): Promise<string[]> {
  const kept = objectIdentities(keep);
  const defined = loadFileCluster(sources).cluster.all();
  const extra = defined.filter((o) => !isMeshConfigPatch(o) && !kept.has(identity(o)));
  const keys = [...new Set(defined.filter(isMeshConfigPatch).flatMap(patchIdentities))].filter((k) => !kept.has(k));
  if (keys.length > 0) {
    const baseline = await ensureMeshBaseline(cluster, () => {});
    await restoreMeshConfig(kubectlRunnerFor(cluster), baseline, keys.map(keyOfIdentity), () => {});
  }
  if (extra.length === 0) return keys;
  const list = {
    apiVersion: "v1",
    kind: "List",
    items: extra.map((o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
    })),
  };
  const r = await runKubectl(
    cluster,
    ["delete", "--ignore-not-found", "--wait=false", "-f", "-"],
    60_000,
    stringify(list),
  );
  if (r.code !== 0) throw new ClusterCommandError(`kubectl delete: ${(r.stderr || r.stdout).trim()}`);
  return [...keys, ...extra.map(identity)];
}

/** Group, kind, namespace and name of every object the manifests define or delete; `mesh-config <key>` for each key they set. */
export function objectIdentities(sources: readonly ManifestSource[]): Set<string> {
  const { cluster } = loadFileCluster(sources);
  return new Set([
    ...cluster.all().flatMap((o) => (isMeshConfigPatch(o) ? patchIdentities(o) : [identity(o)])),
    ...cluster.deleteMarkers().map(identity),
  ]);
}

function identity(o: KubeObject): string {
  return `${kindKey({ group: groupOf(o.apiVersion), kind: o.kind })} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

const MESH_KEY = "mesh-config ";
const patchIdentities = (o: KubeObject) => meshConfigKeys(meshConfigOf(o)).map((k) => `${MESH_KEY}${k}`);
const keyOfIdentity = (id: string) => id.slice(MESH_KEY.length);

/** The objects of one source as written (no defaults filled in), in file order. */
function manifestObjects(source: ManifestSource): KubeObject[] {
  return manifestFiles(source.path).flatMap((file) => {
    const parsed = parseManifests(readFileSync(file, "utf8"), file, source.namespace ?? "default");
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0];
      throw new ClusterCommandError(`${e.file}:${e.line ?? 1}: ${e.message}`);
    }
    return parsed.objects;
  });
}

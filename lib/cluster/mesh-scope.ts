// Mesh-wide state a scenario declares (root-namespace and cluster-scoped objects, keys of the
// mesh config) and how Reset puts it back: the baseline is what `cluster up` installed (on a
// current cluster: what was there the first time the app set a scenario up), recorded as JSON.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { cacheDir, liteDir } from "../paths";
import type { ActiveCluster } from "./active-cluster";
import type { CommandResult } from "./drivers/run-command";
import type { ProgressFn } from "./drivers/types";
import { runKubectl } from "./kubectl";
import { isSameJson, MESH_CONFIGMAP, MESH_ROOT_NAMESPACE, restoreMeshConfigKeys } from "./mesh-config-keys";
import { groupOf, type KubeObject } from "./types";

/** Groups whose every kind is recorded; plus two cluster-scoped kinds by resource name. */
const BASELINE_GROUPS = ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"];
const BASELINE_RESOURCES = ["ingressclasses.networking.k8s.io", "gatewayclasses.gateway.networking.k8s.io"];

/** A declared object (lib/scenarios/schema.ts ZMeshObject fits it). */
export interface MeshObjectRef {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** What a scenario declares (TMeshScope fits it). */
export interface MeshScope {
  objects: readonly MeshObjectRef[];
  /** dotted keys of the mesh config, e.g. outboundTrafficPolicy.mode */
  config: readonly string[];
}

export function isMeshScopeEmpty(scope: MeshScope | undefined): boolean {
  return !scope || (scope.objects.length === 0 && scope.config.length === 0);
}

const ZBaselineKind = z.object({
  /** `plural.group`, as kubectl takes it */
  resource: z.string(),
  group: z.string(),
  kind: z.string(),
  namespaced: z.boolean(),
});
export type BaselineKind = z.infer<typeof ZBaselineKind>;

const ZMeshBaseline = z.object({
  version: z.literal(1),
  cluster: z.string(),
  recordedAt: z.string(),
  rootNamespace: z.string(),
  /** the kinds that were listed: a declared object of another kind is never touched */
  kinds: z.array(ZBaselineKind),
  /** ConfigMap istio-system/istio, key `mesh`, as written; null when there was none */
  mesh: z.string().nullable(),
  /** every object of those kinds in the root namespace (and the cluster-scoped ones), cleaned */
  objects: z.array(z.custom<KubeObject>((o) => typeof o === "object" && o !== null && "metadata" in o)),
});
export type MeshBaseline = z.infer<typeof ZMeshBaseline>;

/** Runs kubectl against one cluster; a failure is returned, not thrown. */
export type KubectlRunner = (args: string[], input?: string) => Promise<CommandResult>;

export class MeshScopeError extends Error {}

export function kubectlRunnerFor(active: ActiveCluster): KubectlRunner {
  return (args, input) => runKubectl(active, args, 60_000, input);
}

async function kubectlOrThrow(run: KubectlRunner, args: string[], input?: string): Promise<string> {
  const r = await run(args, input);
  if (r.code !== 0) throw new MeshScopeError(`kubectl ${args.join(" ")}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// Where the baseline lives

export function liteMeshBaselinePath(): string {
  return path.join(liteDir(), "mesh-baseline.json");
}

/** `kind-dev` + a short hash of kubeconfig path and context: readable and never shared by two clusters. */
export function baselineFileName(kubeconfig: string, context: string | undefined): string {
  const readable = (context ?? path.basename(kubeconfig)).replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
  const hash = createHash("sha256")
    .update(`${kubeconfig}\n${context ?? ""}`)
    .digest("hex")
    .slice(0, 10);
  return `${readable}-${hash}.json`;
}

/** lite: <lite dir>/mesh-baseline.json; current: <cache>/baselines/<context>-<hash>.json. */
export async function meshBaselinePath(active: ActiveCluster): Promise<string> {
  if (active.driver === "lite") return liteMeshBaselinePath();
  const kubeconfig = active.kubeconfig ?? "";
  let context = active.context;
  if (!context) {
    const r = await runKubectl(active, ["config", "current-context"], 15_000);
    context = r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
  }
  return path.join(cacheDir(), "baselines", baselineFileName(kubeconfig, context));
}

export function readMeshBaseline(file: string): MeshBaseline | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = ZMeshBaseline.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // unreadable: recorded again
  }
}

function writeMeshBaseline(file: string, baseline: MeshBaseline): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(baseline, null, 2)}\n`);
  renameSync(temp, file); // never a half-written baseline
}

// ---------------------------------------------------------------------------------------------
// Recording

/** Parses `kubectl api-resources --no-headers` (NAME [SHORTNAMES] APIVERSION NAMESPACED KIND). */
export function parseApiResources(text: string): BaselineKind[] {
  const kinds: BaselineKind[] = [];
  for (const line of text.split("\n")) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4) continue;
    const [name, apiVersion, namespaced, kind] = [cols[0], cols.at(-3)!, cols.at(-2)!, cols.at(-1)!];
    const group = groupOf(apiVersion);
    const resource = group ? `${name}.${group}` : name;
    if (BASELINE_GROUPS.includes(group) || BASELINE_RESOURCES.includes(resource)) {
      kinds.push({ resource, group, kind, namespaced: namespaced === "true" });
    }
  }
  return kinds.sort((a, b) => a.resource.localeCompare(b.resource));
}

const VOLATILE_METADATA = ["resourceVersion", "uid", "managedFields", "creationTimestamp", "generation", "selfLink"];

/** The object as one would write it: no status, no server-set metadata. */
export function cleanObject(o: KubeObject): KubeObject {
  const { status: _status, ...rest } = o;
  const metadata = { ...o.metadata };
  for (const field of VOLATILE_METADATA) delete metadata[field];
  return { ...rest, metadata };
}

async function listBaselineKinds(run: KubectlRunner): Promise<BaselineKind[]> {
  const r = await run(["api-resources", "--verbs=list", "--no-headers"]);
  // An unavailable aggregated API (metrics.k8s.io) fails the command but the rest is listed.
  if (r.code !== 0 && !r.stdout.trim()) throw new MeshScopeError(`kubectl api-resources: ${r.stderr.trim()}`);
  return parseApiResources(r.stdout);
}

async function readMeshText(run: KubectlRunner): Promise<{ configMap?: KubeObject; mesh: string | null }> {
  const out = await kubectlOrThrow(run, [
    "get",
    "configmap",
    MESH_CONFIGMAP,
    "-n",
    MESH_ROOT_NAMESPACE,
    "-o",
    "json",
    "--ignore-not-found",
  ]);
  if (!out.trim()) return { mesh: null };
  const configMap = JSON.parse(out) as KubeObject & { data?: Record<string, string> };
  return { configMap, mesh: configMap.data?.mesh ?? null };
}

/** Reads the mesh state now (the mesh text and every object of the baseline kinds). */
export async function readMeshState(run: KubectlRunner, cluster: string): Promise<MeshBaseline> {
  const kinds = await listBaselineKinds(run);
  let objects: KubeObject[] = [];
  if (kinds.length > 0) {
    const out = await kubectlOrThrow(run, [
      "get",
      kinds.map((k) => k.resource).join(","),
      "-n",
      MESH_ROOT_NAMESPACE,
      "-o",
      "json",
    ]);
    objects = ((JSON.parse(out) as { items?: KubeObject[] }).items ?? []).map(cleanObject);
  }
  const { mesh } = await readMeshText(run);
  return {
    version: 1,
    cluster,
    recordedAt: new Date().toISOString(),
    rootNamespace: MESH_ROOT_NAMESPACE,
    kinds,
    mesh,
    objects,
  };
}

/** Records the mesh state now as the baseline in `file` (replacing one that is there). */
export async function recordMeshBaseline(run: KubectlRunner, file: string, cluster: string): Promise<MeshBaseline> {
  const baseline = await readMeshState(run, cluster);
  writeMeshBaseline(file, baseline);
  return baseline;
}

/** The active cluster's baseline; recorded now when there is none (a progress line says so). */
export async function ensureMeshBaseline(active: ActiveCluster, onProgress: ProgressFn): Promise<MeshBaseline> {
  const file = await meshBaselinePath(active);
  const existing = readMeshBaseline(file);
  if (existing) return existing;
  onProgress(
    active.driver === "lite"
      ? "This lite cluster has no mesh baseline (it was started before baselines were recorded): recording the mesh state now as its baseline"
      : `First scenario on cluster '${active.name}': recording its mesh state as the baseline Reset restores (${file})`,
  );
  return recordMeshBaseline(kubectlRunnerFor(active), file, active.name);
}

// ---------------------------------------------------------------------------------------------
// Declared objects: what Reset does with each

export type MeshObjectAction =
  | { action: "delete"; ref: string; current: KubeObject }
  | { action: "restore"; ref: string; baseline: KubeObject; current: KubeObject }
  | { action: "recreate"; ref: string; baseline: KubeObject }
  | { action: "keep"; ref: string }
  | { action: "skip"; ref: string; reason: string };

/** The baseline kind a declared object is of: same kind, and the same group when it names an apiVersion. */
export function kindOfRef(ref: MeshObjectRef, kinds: readonly BaselineKind[]): BaselineKind[] {
  const group = ref.apiVersion === undefined ? undefined : groupOf(ref.apiVersion);
  return kinds.filter((k) => k.kind === ref.kind && (group === undefined || k.group === group));
}

/** The declared object's namespace: its own, else the root namespace; none for cluster-scoped kinds. */
export function namespaceOfRef(ref: MeshObjectRef, kind: Pick<BaselineKind, "namespaced">): string | undefined {
  return kind.namespaced ? (ref.namespace ?? MESH_ROOT_NAMESPACE) : undefined;
}

export function describeRef(ref: MeshObjectRef, kind?: Pick<BaselineKind, "namespaced">): string {
  const ns = kind ? namespaceOfRef(ref, kind) : (ref.namespace ?? MESH_ROOT_NAMESPACE);
  return `${ref.kind} ${ns ? `${ns}/` : ""}${ref.name}`;
}

export function isSameObject(o: KubeObject, kind: BaselineKind, name: string, namespace: string | undefined): boolean {
  return (
    groupOf(o.apiVersion) === kind.group &&
    o.kind === kind.kind &&
    o.metadata.name === name &&
    (o.metadata.namespace || undefined) === namespace
  );
}

/**
 * For one declared object, given what is there now (undefined: absent): present now and absent
 * from the baseline → delete; in the baseline → put the baseline's version back (recreate it when
 * it is missing); unchanged or absent from both → keep.
 */
export function planMeshObject(
  ref: MeshObjectRef,
  kind: BaselineKind,
  baseline: MeshBaseline,
  current: KubeObject | undefined,
): MeshObjectAction {
  const namespace = namespaceOfRef(ref, kind);
  const name = describeRef(ref, kind);
  const recorded = baseline.objects.find((o) => isSameObject(o, kind, ref.name, namespace));
  if (!recorded) return current ? { action: "delete", ref: name, current } : { action: "keep", ref: name };
  if (!current) return { action: "recreate", ref: name, baseline: recorded };
  const { apiVersion: _a, ...now } = cleanObject(current);
  const { apiVersion: _b, ...then } = recorded;
  return isSameJson(now, then)
    ? { action: "keep", ref: name }
    : { action: "restore", ref: name, baseline: recorded, current };
}

// ---------------------------------------------------------------------------------------------
// Restore

async function getObject(run: KubectlRunner, kind: BaselineKind, name: string, namespace: string | undefined) {
  const ns = namespace ? ["-n", namespace] : [];
  const out = await kubectlOrThrow(run, ["get", kind.resource, name, ...ns, "-o", "json", "--ignore-not-found"]);
  return out.trim() ? (JSON.parse(out) as KubeObject) : undefined;
}

const isConflict = (r: CommandResult) => /the object has been modified|Conflict/i.test(r.stderr);

/**
 * Rewrites the mesh config text with `change` (null: there is no ConfigMap, or change leaves it
 * absent). Read, change, write back with the read resourceVersion: a concurrent write to other
 * keys (another scenario's Reset) makes the API server refuse ours, and we read again.
 */
export async function updateMeshConfig(
  run: KubectlRunner,
  change: (text: string | null) => string | null,
): Promise<"unchanged" | "changed" | "created"> {
  for (let attempt = 1; ; attempt++) {
    const { configMap, mesh } = await readMeshText(run);
    const text = configMap ? (mesh ?? "") : null;
    const next = change(text);
    if (next === text || next === null) return "unchanged";
    if (!configMap) {
      const created = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: MESH_CONFIGMAP, namespace: MESH_ROOT_NAMESPACE },
        data: { mesh: next },
      };
      await kubectlOrThrow(run, ["create", "-f", "-"], JSON.stringify(created));
      return "created";
    }
    const { managedFields: _m, ...metadata } = configMap.metadata;
    const data = { ...(configMap.data as Record<string, string> | undefined), mesh: next };
    const r = await run(["replace", "-f", "-"], JSON.stringify({ ...configMap, metadata, data }));
    if (r.code === 0) return "changed";
    if (!isConflict(r) || attempt >= 5) throw new MeshScopeError(`kubectl replace configmap istio: ${r.stderr.trim()}`);
  }
}

/** Sets each key back to the baseline's value (a missing ConfigMap comes back whole). */
export async function restoreMeshConfig(
  run: KubectlRunner,
  baseline: MeshBaseline,
  keys: readonly string[],
  onProgress: ProgressFn,
): Promise<void> {
  const outcome = await updateMeshConfig(run, (text) =>
    text === null ? baseline.mesh : restoreMeshConfigKeys(text, baseline.mesh, keys),
  );
  const where = `${MESH_ROOT_NAMESPACE}/${MESH_CONFIGMAP}`;
  onProgress(
    outcome === "created"
      ? `ConfigMap ${where} was missing: recreated from the baseline`
      : `Mesh config ${keys.join(", ")}: ${outcome === "changed" ? "restored to the baseline" : "as in the baseline"}`,
  );
}

async function applyMeshObjectAction(run: KubectlRunner, step: MeshObjectAction, onProgress: ProgressFn) {
  switch (step.action) {
    case "keep":
      return;
    case "skip":
      onProgress(`${step.ref}: left alone (${step.reason})`);
      return;
    case "delete": {
      const { apiVersion, kind, metadata } = step.current;
      const target = { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace } };
      await kubectlOrThrow(run, ["delete", "--ignore-not-found", "-f", "-"], JSON.stringify(target));
      onProgress(`${step.ref}: deleted (not in the baseline)`);
      return;
    }
    case "recreate":
      await kubectlOrThrow(run, ["create", "-f", "-"], JSON.stringify(step.baseline));
      onProgress(`${step.ref}: recreated from the baseline`);
      return;
    case "restore": {
      // The baseline's version over the current one, guarded by the current resourceVersion.
      const metadata = { ...step.baseline.metadata, resourceVersion: step.current.metadata.resourceVersion };
      await kubectlOrThrow(run, ["replace", "-f", "-"], JSON.stringify({ ...step.baseline, metadata }));
      onProgress(`${step.ref}: put back as in the baseline`);
      return;
    }
  }
}

/** Each declared object's action against the cluster now. */
export async function planMeshObjects(
  run: KubectlRunner,
  objects: readonly MeshObjectRef[],
  baseline: MeshBaseline,
): Promise<MeshObjectAction[]> {
  const plan: MeshObjectAction[] = [];
  for (const ref of objects) {
    const matches = kindOfRef(ref, baseline.kinds);
    if (matches.length !== 1) {
      const reason =
        matches.length === 0
          ? "its kind is not one the mesh baseline records"
          : `the kind is in ${matches.length} API groups: name an apiVersion`;
      plan.push({ action: "skip", ref: describeRef(ref), reason });
      continue;
    }
    const [kind] = matches;
    const current = await getObject(run, kind, ref.name, namespaceOfRef(ref, kind));
    plan.push(planMeshObject(ref, kind, baseline, current));
  }
  return plan;
}

/**
 * Puts the declared mesh scope back as the baseline has it: declared objects deleted, restored or
 * recreated; declared mesh config keys set to the baseline's values or removed. Nothing that is
 * not declared changes (the ConfigMap is written only when a declared key differs).
 */
export async function restoreMeshScope(active: ActiveCluster, scope: MeshScope, onProgress: ProgressFn): Promise<void> {
  if (isMeshScopeEmpty(scope)) return;
  const baseline = await ensureMeshBaseline(active, onProgress);
  const run = kubectlRunnerFor(active);
  onProgress("Restoring the mesh-wide state this scenario declares...");
  for (const step of await planMeshObjects(run, scope.objects, baseline)) {
    await applyMeshObjectAction(run, step, onProgress);
  }
  if (scope.config.length > 0) await restoreMeshConfig(run, baseline, scope.config, onProgress);
}

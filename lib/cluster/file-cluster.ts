// A Cluster read from YAML manifests: grading without a cluster (--from-files, tests).
// Later manifests replace earlier objects of the same identity, like `kubectl apply` would,
// but keep the first one's creationTimestamp.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type Document, isMap, isSeq, LineCounter, parseAllDocuments } from "yaml";
import { isDeleteMarker } from "./delete-marker";
import { ALL_KINDS, K } from "./kinds";
import { isMeshConfigPatch, withMeshConfigPatches } from "./mesh-config-patch";
import { type Cluster, type ClusterResult, groupOf, type KindRef, type KubeObject, kindKey } from "./types";

export interface FileError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** A manifest file or folder, and the namespace its namespaced objects get when they name none. */
export interface ManifestSource {
  path: string;
  namespace?: string;
}

export interface FileClusterResult {
  cluster: FileCluster;
  errors: FileError[];
}

/** Kinds a manifest may hold that are not namespaced, beyond those in K. */
const CLUSTER_SCOPED = new Set([
  "core/Node",
  "core/PersistentVolume",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "storage.k8s.io/StorageClass",
  "scheduling.k8s.io/PriorityClass",
  "apiregistration.k8s.io/APIService",
  ...ALL_KINDS.filter((k) => !k.namespaced).map(kindKey),
]);

// Objects without a creationTimestamp get one in file order so "oldest wins" rules are deterministic.
const EPOCH = Date.parse("2024-01-01T00:00:00Z");

export class FileCluster implements Cluster {
  readonly name = "files";
  /** objectStatus: manifests carry no status written by controllers (read by lib/verify). */
  readonly capabilities = { dataPlane: false, objectStatus: false };
  private readonly objects: KubeObject[] = [];
  private readonly index = new Map<string, number>();
  private readonly markers: KubeObject[] = [];
  private added = 0;

  constructor(objects: readonly KubeObject[] = []) {
    for (const o of objects) this.add(o);
  }

  /** Adds or replaces an object (same group, kind, namespace and name); a delete marker deletes it. */
  add(input: KubeObject): void {
    const object = structuredClone(input);
    if (isMeshConfigPatch(object)) {
      // Each one sets its keys over the ones before (two may share a name): none replaces another.
      this.objects.push(object);
      return;
    }
    const id = identity(object);
    const existing = this.index.get(id);
    if (isDeleteMarker(object)) {
      this.markers.push(object);
      if (existing === undefined) return;
      this.objects.splice(existing, 1);
      this.index.clear();
      this.objects.forEach((o, i) => {
        if (!isMeshConfigPatch(o)) this.index.set(identity(o), i);
      });
      return;
    }
    if (existing !== undefined) {
      const created = this.objects[existing].metadata.creationTimestamp;
      object.metadata.creationTimestamp = object.metadata.creationTimestamp ?? created;
      this.objects[existing] = object;
      return;
    }
    object.metadata.creationTimestamp ??= new Date(EPOCH + this.added++ * 1000).toISOString();
    this.index.set(id, this.objects.length);
    this.objects.push(object);
  }

  /** The delete markers read, in order (the objects they name are gone from all()). */
  deleteMarkers(): readonly KubeObject[] {
    return this.markers;
  }

  all(): readonly KubeObject[] {
    return this.objects;
  }

  async list(kind: KindRef, namespace?: string): Promise<ClusterResult<KubeObject[]>> {
    const ofKind = (k: KindRef) =>
      this.objects.filter((o) => kindKey({ group: groupOf(o.apiVersion), kind: o.kind }) === kindKey(k));
    // Mesh config answers (IstioOperator spec.meshConfig) show where a cluster keeps them.
    const objects =
      kindKey(kind) === kindKey(K.configMap)
        ? withMeshConfigPatches(ofKind(K.configMap), this.meshConfigPatches())
        : ofKind(kind);
    const items = objects.filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    return { ok: true, value: structuredClone(items) };
  }

  /** The IstioOperator answers, in the order they were applied. */
  meshConfigPatches(): KubeObject[] {
    return this.objects.filter(isMeshConfigPatch);
  }

  async get(kind: KindRef, name: string, namespace?: string): Promise<ClusterResult<KubeObject>> {
    const listed = await this.list(kind, kind.namespaced ? namespace : undefined);
    const found = listed.ok ? listed.value.find((o) => o.metadata.name === name) : undefined;
    if (found) return { ok: true, value: found };
    const where = kind.namespaced ? `${namespace ?? "?"}/${name}` : name;
    return { ok: false, failure: { reason: "not-found", message: `${kind.kind} ${where} not found in the manifests` } };
  }
}

function isNamespacedKind(apiVersion: string, kind: string): boolean {
  return !CLUSTER_SCOPED.has(kindKey({ group: groupOf(apiVersion), kind }));
}

/** Reads manifest files and folders (recursively, *.yaml / *.yml / *.json, in name order). */
export function loadFileCluster(
  sources: readonly (string | ManifestSource)[],
  defaultNamespace = "default",
): FileClusterResult {
  const cluster = new FileCluster();
  const errors: FileError[] = [];
  for (const source of sources) {
    const { path: root, namespace = defaultNamespace } = typeof source === "string" ? { path: source } : source;
    let files: string[];
    try {
      files = manifestFiles(root);
    } catch (e) {
      errors.push({ file: root, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    for (const file of files) {
      const parsed = parseManifests(readFileSync(file, "utf8"), file, namespace);
      errors.push(...parsed.errors);
      for (const o of parsed.objects) cluster.add(o);
    }
  }
  return { cluster, errors };
}

export function parseManifests(
  text: string,
  file: string,
  defaultNamespace: string,
): { objects: KubeObject[]; errors: FileError[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const objects: KubeObject[] = [];
  const errors: FileError[] = [];
  const at = (offset: number | undefined, message: string): void => {
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    errors.push({ file, line: pos?.line, column: pos?.col, message });
  };
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) at(e.pos[0], e.message.split("\n")[0]);
      continue;
    }
    for (const item of documentItems(doc)) {
      const problem = objectProblem(item.value);
      if (problem) {
        at(item.offset, problem);
        continue;
      }
      const object = withIstioOperatorName(item.value as KubeObject);
      if (object.metadata.namespace === undefined && isNamespacedKind(object.apiVersion, object.kind)) {
        object.metadata.namespace = defaultNamespace;
      }
      objects.push(object);
    }
  }
  return { objects, errors };
}

/** The objects of one document: itself, or the items of a `kind: List`. */
function documentItems(doc: Document): { value: unknown; offset?: number }[] {
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return []; // an empty document, e.g. after a trailing ---
  const offset = doc.contents?.range?.[0];
  if (!isRecord(value) || value.kind !== "List" || !Array.isArray(value.items)) return [{ value, offset }];
  const itemsNode = isMap(doc.contents) ? doc.contents.get("items", true) : undefined;
  return value.items.map((item, i) => {
    const node = isSeq(itemsNode) ? itemsNode.items[i] : undefined;
    const range =
      node && typeof node === "object" && "range" in node
        ? (node.range as [number, number, number] | undefined)
        : undefined;
    return { value: item, offset: range?.[0] ?? offset };
  });
}

/** istioctl takes an IstioOperator without metadata (or name); it names the install `installed-state`. */
const isIstioOperator = (value: Record<string, unknown>) =>
  value.kind === "IstioOperator" &&
  typeof value.apiVersion === "string" &&
  value.apiVersion.startsWith("install.istio.io/");

function withIstioOperatorName(object: KubeObject): KubeObject {
  if (!isIstioOperator(object) || object.metadata?.name) return object;
  return { ...object, metadata: { ...object.metadata, name: "installed-state" } };
}

function objectProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return "expected a Kubernetes object (a mapping with apiVersion, kind and metadata)";
  if (typeof value.apiVersion !== "string" || value.apiVersion === "") return "missing apiVersion";
  if (typeof value.kind !== "string" || value.kind === "") return "missing kind";
  if (isIstioOperator(value) && (value.metadata === undefined || isRecord(value.metadata))) return undefined;
  if (!isRecord(value.metadata) || typeof value.metadata.name !== "string" || value.metadata.name === "") {
    return `${value.kind}: missing metadata.name`;
  }
  if (value.metadata.namespace !== undefined && typeof value.metadata.namespace !== "string") {
    return `${value.kind} ${value.metadata.name}: metadata.namespace must be a string`;
  }
  return undefined;
}

/** The YAML and JSON files of a file or folder (recursively, in name order), as `kubectl apply -R -f` takes them. */
export function manifestFiles(root: string): string[] {
  // A shell script (run-script.ts) defines no objects a file can show: it is judged live only.
  if (!statSync(root).isDirectory()) return root.endsWith(".sh") ? [] : [root];
  return readdirSync(root, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(root, entry.name);
      if (entry.isDirectory()) return manifestFiles(full);
      return /\.(ya?ml|json)$/i.test(entry.name) ? [full] : [];
    });
}

function identity(o: KubeObject): string {
  return `${kindKey({ group: groupOf(o.apiVersion), kind: o.kind })}|${o.metadata.namespace ?? ""}|${o.metadata.name}`;
}

function isRecord(v: unknown): v is Record<string, unknown> & { metadata?: unknown } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

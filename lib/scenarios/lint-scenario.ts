import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isDeleteMarker } from "../cluster/delete-marker";
import { loadFileCluster, type ManifestSource } from "../cluster/file-cluster";
import {
  isKeyDeclared,
  isMeshConfigPatch,
  meshConfigKeys,
  meshConfigOf,
  unsupportedFields,
} from "../cluster/mesh-config-patch";
import { isScript } from "../cluster/run-script";
import { groupOf, type KubeObject } from "../cluster/types";
import { loadVerifyModule } from "../verify/load-verify-module";
import { builtinChecks, findBuiltinCheck } from "../verify/registry";
import { dedupeErrors, loadScenario } from "./load-scenario";
import { stageManifests } from "./prove-scenario";
import { readManifests } from "./read-manifests";
import type { ContentError, Scenario } from "./schema";
import { parseYamlWithPositions, positionOf } from "./yaml-positions";

/** Where a mesh object lives when its declaration names no namespace. */
const ROOT_NAMESPACE = "istio-system";

/** The kinds whose objects Reset can put back at mesh scope (lib/cluster/mesh-scope.ts records them in the baseline). */
const MESH_KINDS = new Set([
  "VirtualService",
  "DestinationRule",
  "Gateway",
  "ServiceEntry",
  "Sidecar",
  "WorkloadEntry",
  "WorkloadGroup",
  "EnvoyFilter",
  "ProxyConfig",
  "PeerAuthentication",
  "AuthorizationPolicy",
  "RequestAuthentication",
  "Telemetry",
  "WasmPlugin",
  "IngressClass",
  "GatewayClass",
]);

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "IngressClass",
  "GatewayClass",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
]);

/**
 * Everything the schema cannot see: referenced files, known checks with valid parameters,
 * a solution per task, declared alternatives that map to tasks, at least one mistake, mistakes
 * naming real checks and differing from every correct answer, and manifests that stay in the
 * scenario's own namespaces or are declared under `mesh`.
 */
export async function lintScenario(dir: string): Promise<ContentError[]> {
  const loaded = loadScenario(dir);
  // what the schema refuses, and every reference the raw file gets wrong: all in one run
  if (!loaded.ok) return dedupeErrors([...loaded.errors, ...lintRawReferences(path.resolve(dir))]);
  const s = loaded.scenario;
  const file = path.join(s.dir, "scenario.yaml");
  const parsed = parseYamlWithPositions(file, readFileSync(file, "utf8"));
  const at = (...p: (string | number)[]) => ({ file, ...positionOf(parsed, p) });
  const errors: ContentError[] = [];
  const exports = await verifyExports(s, errors);

  s.tasks.forEach((task, i) => {
    task.checks.forEach((check, j) => {
      errors.push(...lintCheck(check, (...p) => at("tasks", i, "checks", j, ...p), exports));
    });
    const ids = new Set(task.checks.map((c) => c.id));
    task.preSatisfied.forEach((id, k) => {
      if (!ids.has(id)) errors.push({ ...at("tasks", i, "preSatisfied", k), message: `no check '${id}' in this task` });
    });
    if (!existsSync(task.solution)) {
      errors.push({ ...at("tasks", i, "solution"), message: `solution not found: ${rel(s, task.solution)}` });
    }
  });

  if (s.mistakes.length === 0) {
    errors.push({
      ...at("mistakes"),
      message: "a scenario needs at least one mistake: a common wrong answer and the checks it fails",
    });
  }
  const checkIds = new Set(s.tasks.flatMap((t) => t.checks.map((c) => `${t.id}/${c.id}`)));
  s.mistakes.forEach((m, i) => {
    if (!existsSync(m.path))
      errors.push({ ...at("mistakes", i, "path"), message: `file not found: ${rel(s, m.path)}` });
    m.fails.forEach((id, k) => {
      if (!checkIds.has(id))
        errors.push({ ...at("mistakes", i, "fails", k), message: `no check '${id}' (expected taskId/checkId)` });
    });
  });

  errors.push(...lintAlternatives(s, at));
  s.mesh.objects.forEach((o, i) => {
    if (!MESH_KINDS.has(o.kind)) {
      errors.push({
        ...at("mesh", "objects", i, "kind"),
        message: `Reset cannot put a ${o.kind} back: mesh.objects takes Istio kinds, IngressClass and GatewayClass (mesh config keys go under mesh.config)`,
      });
    }
  });
  errors.push(...lintMistakesDiffer(s, at));

  s.setup.forEach((step, i) => {
    if (!existsSync(step.path)) errors.push({ ...at("setup", i), message: `file not found: ${rel(s, step.path)}` });
  });
  const manifests = [
    ...s.setup.filter((step) => step.sample === undefined).map((step) => step.path),
    ...s.tasks.map((t) => t.solution),
    ...s.alternatives.flatMap((a) => Object.values(a.solutions)),
    ...s.mistakes.map((m) => m.path),
  ];
  for (const target of new Set(manifests)) errors.push(...lintManifests(s, target));
  return errors;
}

export type At = (...p: (string | number)[]) => { file: string; line: number; column: number };

/**
 * One check (`at` locates paths inside it): a `use` that names no built-in check, parameters the
 * built-in check refuses, an `fn` that verify.ts does not export (only when its exports are
 * given: the catalog does not load verify.ts).
 */
export function lintCheck(
  check: Scenario["tasks"][number]["checks"][number],
  at: At,
  exports?: ReadonlySet<string>,
): ContentError[] {
  if (check.fn !== undefined) {
    return exports && !exports.has(check.fn)
      ? [{ ...at("fn"), message: `verify.ts exports no check '${check.fn}'` }]
      : [];
  }
  const builtin = findBuiltinCheck(check.use ?? "");
  if (!builtin) return [{ ...at("use"), message: unknownCheck(check.use ?? "") }];
  const params = builtin.params.safeParse(check.with);
  if (params.success) return [];
  return params.error.issues.map((issue) => ({
    ...at("with", ...(issue.path as (string | number)[])),
    message: `${check.use}: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`,
  }));
}

/** `unknown check 'x'`, with the nearest built-in names when one is close (a typo). */
function unknownCheck(name: string): string {
  const near = [...builtinChecks.keys()]
    .map((known) => ({ known, distance: editDistance(name, known) }))
    .filter((c) => c.distance <= Math.max(1, Math.floor(name.length / 8)))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 2)
    .map((c) => `'${c.known}'`);
  return `unknown check '${name}'${near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : ""}`;
}

/** Levenshtein distance: the fewest single-character edits from a to b. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/**
 * The references a scenario.yaml makes, read from the raw file: so a file the schema refuses
 * still gets every missing file, unknown check and unknown `fails` id reported in the same run.
 */
function lintRawReferences(dir: string): ContentError[] {
  const file = path.join(dir, "scenario.yaml");
  if (!existsSync(file)) return [];
  const parsed = parseYamlWithPositions(file, readFileSync(file, "utf8"));
  if (parsed.errors.length > 0) return [];
  const at: At = (...p) => ({ file, ...positionOf(parsed, p) });
  const doc = parsed.doc.toJS() as RawScenario | null;
  const errors: ContentError[] = [];
  const isPath = (v: unknown): v is string => typeof v === "string" && v !== "" && !v.includes("{{");
  const missing = (v: unknown) => isPath(v) && !existsSync(path.join(dir, v));
  const ids = new Set<string>();
  (doc?.tasks ?? []).forEach((task, i) => {
    if (missing(task?.solution))
      errors.push({ ...at("tasks", i, "solution"), message: `solution not found: ${task.solution}` });
    (task?.checks ?? []).forEach((check, j) => {
      ids.add(`${task.id}/${check?.id ?? check?.use ?? check?.fn}`);
      if (typeof check?.use === "string" && !findBuiltinCheck(check.use)) {
        errors.push({ ...at("tasks", i, "checks", j, "use"), message: unknownCheck(check.use) });
      }
    });
  });
  (doc?.setup ?? []).forEach((step, i) => {
    if (missing(step)) errors.push({ ...at("setup", i), message: `file not found: ${step}` });
  });
  (doc?.mistakes ?? []).forEach((m, i) => {
    if (missing(m?.path)) errors.push({ ...at("mistakes", i, "path"), message: `file not found: ${m.path}` });
    (m?.fails ?? []).forEach((id, k) => {
      if (typeof id === "string" && !ids.has(id)) {
        errors.push({ ...at("mistakes", i, "fails", k), message: `no check '${id}' (expected taskId/checkId)` });
      }
    });
  });
  return errors;
}

interface RawScenario {
  tasks?: { id?: string; solution?: unknown; checks?: { id?: string; use?: unknown; fn?: string }[] }[];
  setup?: unknown[];
  mistakes?: { path?: unknown; fails?: unknown[] }[];
}

/** Each declared alternative is a folder that gives at least one task a file; no solution-alt folder goes undeclared. */
function lintAlternatives(s: Scenario, at: At): ContentError[] {
  const errors: ContentError[] = [];
  s.alternatives.forEach((a, i) => {
    if (!existsSync(a.path))
      errors.push({ ...at("alternatives", i, "path"), message: `folder not found: ${rel(s, a.path)}/` });
    else if (Object.keys(a.solutions).length === 0) {
      errors.push({
        ...at("alternatives", i, "path"),
        message: `${rel(s, a.path)}/ gives no task a file: put each task's answer at the path its solution has under solution/`,
      });
    }
  });
  const declared = new Set(s.alternatives.map((a) => path.resolve(a.path)));
  for (const entry of readdirSync(s.dir, { withFileTypes: true })) {
    if (entry.isDirectory() && /^solution-alt/.test(entry.name) && !declared.has(path.join(s.dir, entry.name))) {
      errors.push({
        ...at("alternatives"),
        message: `folder ${entry.name}/ is not declared under alternatives (with its why)`,
      });
    }
  }
  return errors;
}

/** A mistake that leaves the cluster exactly as a correct answer does is no mistake (judged from files; not for scripts). */
function lintMistakesDiffer(s: Scenario, at: At): ContentError[] {
  const correct = [
    { name: "the solution", state: stateOf(stageManifests(s, { kind: "solution" })) },
    ...s.alternatives.map((alternative) => ({
      name: `the alternative ${rel(s, alternative.path)}`,
      state: stateOf(stageManifests(s, { kind: "alternative", alternative })),
    })),
  ];
  return s.mistakes.flatMap((mistake, i) => {
    if (!existsSync(mistake.path)) return [];
    // A script's effect shows only on a cluster: the live proof judges it.
    if (stageManifests(s, { kind: "mistake", mistake }).some((m) => isScript(m.path))) return [];
    const state = stateOf(stageManifests(s, { kind: "mistake", mistake }));
    const same = correct.find((c) => c.state === state);
    return same
      ? [
          {
            ...at("mistakes", i, "path"),
            message: `${rel(s, mistake.path)} leaves the cluster as ${same.name} does: it is no mistake`,
          },
        ]
      : [];
  });
}

/** The objects a list of manifests leaves, as comparable text. */
function stateOf(sources: readonly ManifestSource[]): string {
  const objects = loadFileCluster(sources)
    .cluster.all()
    .map((o) => {
      const { creationTimestamp: _, ...metadata } = o.metadata;
      return canonical({ ...o, metadata });
    });
  return objects.sort().join("\n");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function lintManifests(s: Scenario, target: string): ContentError[] {
  const { objects, errors } = readManifests(target);
  for (const { file, line, value } of objects) {
    const kind = String(value.kind ?? "");
    const meta = (value.metadata ?? {}) as { name?: string; namespace?: string };
    if (!value.apiVersion || !kind || !meta.name) {
      errors.push({ file, line, column: 1, message: "expected apiVersion, kind and metadata.name" });
      continue;
    }
    if (isMeshConfigPatch({ apiVersion: String(value.apiVersion), kind })) {
      for (const message of meshConfigPatchProblems(s, value as unknown as KubeObject)) {
        errors.push({ file, line, column: 1, message: `IstioOperator ${meta.name}: ${message}` });
      }
      continue;
    }
    if (isDeleteMarker(value as unknown as KubeObject) && !createdBySetup(s, value as unknown as KubeObject)) {
      errors.push({
        file,
        line,
        column: 1,
        message: `${kind} ${meta.name}: deletes an object the setup does not create`,
      });
      continue;
    }
    const problem = placementProblem(s, String(value.apiVersion), kind, meta.name, meta.namespace);
    if (problem) errors.push({ file, line, column: 1, message: `${kind} ${meta.name}: ${problem}` });
  }
  return errors;
}

/** Whether the setup creates the object a delete marker names. */
function createdBySetup(s: Scenario, marker: KubeObject): boolean {
  const namespace = marker.metadata.namespace;
  return loadFileCluster(s.setup)
    .cluster.all()
    .some(
      (o) =>
        groupOf(o.apiVersion) === groupOf(marker.apiVersion) &&
        o.kind === marker.kind &&
        o.metadata.name === marker.metadata.name &&
        (namespace === undefined || o.metadata.namespace === namespace),
    );
}

/** What is wrong with a mesh config answer: it may only set declared keys of spec.meshConfig. */
function meshConfigPatchProblems(s: Scenario, o: KubeObject): string[] {
  const keys = meshConfigKeys(meshConfigOf(o));
  const problems = unsupportedFields(o).map(
    (f) => `${f}: a scenario's IstioOperator sets the mesh config only (spec.meshConfig); it installs nothing`,
  );
  if (keys.length === 0) problems.push("sets no key of spec.meshConfig");
  for (const key of keys.filter((k) => !isKeyDeclared(k, s.mesh.config))) {
    problems.push(
      `sets the mesh config key ${key}: declare it under mesh.config, so Reset puts it back and no scenario that changes it runs side by side`,
    );
  }
  return problems;
}

/** Why an object may not be written by this scenario, if it may not. */
function placementProblem(
  s: Scenario,
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string | undefined,
): string | undefined {
  const owned = s.namespaces.join(", ");
  if (kind === "Namespace") {
    return s.namespaces.includes(name) ? undefined : `is not one of the scenario's namespaces (${owned})`;
  }
  const clusterScoped = CLUSTER_SCOPED.has(kind);
  if (!clusterScoped && namespace === undefined) return `set metadata.namespace (one of ${owned})`;
  if (!clusterScoped && s.namespaces.includes(namespace ?? "")) return undefined;
  const declared = s.mesh.objects.some(
    (d) =>
      d.kind === kind &&
      d.name === name &&
      (d.apiVersion === undefined || groupOf(d.apiVersion) === groupOf(apiVersion)) &&
      (clusterScoped || (d.namespace ?? ROOT_NAMESPACE) === namespace),
  );
  if (declared) return undefined;
  const where = clusterScoped
    ? "is cluster-scoped"
    : `is in namespace '${namespace}', not one of the scenario's (${owned})`;
  return `${where}: declare it under mesh.objects, so Reset can put the mesh back and the exam never sets up two scenarios that touch it side by side`;
}

/** The checks verify.ts exports, read by the same loader Check uses. */
async function verifyExports(s: Scenario, errors: ContentError[]): Promise<ReadonlySet<string>> {
  if (!s.verifyModule) return new Set();
  const verify = await loadVerifyModule(s.verifyModule);
  if (verify.ok) return new Set(verify.checks.keys());
  errors.push({ file: s.verifyModule, message: verify.error });
  return new Set();
}

function rel(s: Scenario, p: string): string {
  return path.relative(s.dir, p);
}

/**
 * Namespaces are unique across the catalog (manifests use literal names, and the exam sets many
 * scenarios up in one cluster): an error for each scenario in `linted` that owns a namespace
 * another scenario of `all` owns too.
 */
export function namespaceClashes(linted: readonly Scenario[], all: readonly Scenario[]): ContentError[] {
  return linted.flatMap((s) => {
    const file = path.join(s.dir, "scenario.yaml");
    const parsed = parseYamlWithPositions(file, readFileSync(file, "utf8"));
    return s.namespaces.flatMap((ns, i) =>
      all
        .filter((other) => path.resolve(other.dir) !== path.resolve(s.dir) && other.namespaces.includes(ns))
        .map((other) => ({
          file,
          ...positionOf(parsed, ["namespaces", i]),
          message: `namespace '${ns}' is owned by scenario '${other.id}' too: every scenario needs namespaces of its own`,
        })),
    );
  });
}

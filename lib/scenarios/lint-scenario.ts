import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadFileCluster, type ManifestSource } from "../cluster/file-cluster";
import { groupOf } from "../cluster/types";
import { loadVerifyModule } from "../verify/load-verify-module";
import { findBuiltinCheck } from "../verify/registry";
import { loadScenario } from "./load-scenario";
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
  if (!loaded.ok) return loaded.errors;
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
  if (!builtin) return [{ ...at("use"), message: `unknown check '${check.use}'` }];
  const params = builtin.params.safeParse(check.with);
  if (params.success) return [];
  return params.error.issues.map((issue) => ({
    ...at("with", ...(issue.path as (string | number)[])),
    message: `${check.use}: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`,
  }));
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

/** A mistake that leaves the cluster exactly as a correct answer does is no mistake. */
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
    const problem = placementProblem(s, String(value.apiVersion), kind, meta.name, meta.namespace);
    if (problem) errors.push({ file, line, column: 1, message: `${kind} ${meta.name}: ${problem}` });
  }
  return errors;
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

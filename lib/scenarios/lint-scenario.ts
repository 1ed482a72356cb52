import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadVerifyModule } from "../verify/load-verify-module";
import { findBuiltinCheck } from "../verify/registry";
import { loadScenario } from "./load-scenario";
import { readManifests } from "./read-manifests";
import type { ContentError, Scenario } from "./schema";
import { parseYamlWithPositions, positionOf } from "./yaml-positions";

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
 * a solution per task, at least one mistake, mistakes naming real checks, and manifests that
 * stay in the scenario's own namespaces.
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
      if (check.fn !== undefined) {
        if (!exports.has(check.fn)) {
          errors.push({ ...at("tasks", i, "checks", j, "fn"), message: `verify.ts exports no check '${check.fn}'` });
        }
        return;
      }
      const builtin = findBuiltinCheck(check.use ?? "");
      if (!builtin) {
        errors.push({ ...at("tasks", i, "checks", j, "use"), message: `unknown check '${check.use}'` });
        return;
      }
      const params = builtin.params.safeParse(check.with);
      if (!params.success) {
        for (const issue of params.error.issues) {
          errors.push({
            ...at("tasks", i, "checks", j, "with", ...(issue.path as (string | number)[])),
            message: `${check.use}: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`,
          });
        }
      }
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

  s.setup.forEach((step, i) => {
    if (!existsSync(step.path)) errors.push({ ...at("setup", i), message: `file not found: ${rel(s, step.path)}` });
  });
  const manifests = [
    ...s.setup.filter((step) => step.sample === undefined).map((step) => step.path),
    ...s.tasks.map((t) => t.solution),
    ...s.mistakes.map((m) => m.path),
  ];
  for (const target of new Set(manifests)) errors.push(...lintManifests(s, target));
  return errors;
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
    const ns = kind === "Namespace" ? meta.name : meta.namespace;
    if (CLUSTER_SCOPED.has(kind) && kind !== "Namespace") continue;
    if (ns === undefined) {
      errors.push({
        file,
        line,
        column: 1,
        message: `${kind} ${meta.name}: set metadata.namespace (one of ${s.namespaces.join(", ")})`,
      });
    } else if (!s.namespaces.includes(ns)) {
      errors.push({
        file,
        line,
        column: 1,
        message: `${kind} ${meta.name}: namespace '${ns}' is not one of the scenario's namespaces (${s.namespaces.join(", ")})`,
      });
    }
  }
  return errors;
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

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { sampleManifest, scenariosRoots } from "../paths";
import { type MissingVar, renderScenarioDoc, renderText } from "./render-vars";
import { type ContentError, checkIdOf, type ResolvedTask, type Scenario, ZScenarioFile, ZVars } from "./schema";
import { offsetPosition, type ParsedYaml, parseYamlWithPositions, positionOf } from "./yaml-positions";

export type LoadResult =
  | { ok: true; scenario: Scenario }
  | { ok: false; id: string; dir: string; errors: ContentError[] };

/**
 * Loads `scenarios/<id>` (or any folder holding a scenario.yaml): vars are substituted first,
 * then the schema validates the result, so what loads has exactly the schema's types.
 */
export function loadScenario(dirOrId: string): LoadResult {
  const dir = resolveDir(dirOrId);
  const id = path.basename(dir);
  const file = path.join(dir, "scenario.yaml");
  const fail = (errors: ContentError[]): LoadResult => ({ ok: false, id, dir, errors: dedupeErrors(errors) });
  if (!existsSync(file)) return fail([{ file, message: "no scenario.yaml in this folder" }]);

  const text = readFileSync(file, "utf8");
  const parsed = parseYamlWithPositions(file, text);
  if (parsed.errors.length > 0) return fail(parsed.errors);
  const doc: unknown = parsed.doc.toJS();

  const vars = ZVars.safeParse((doc as { vars?: unknown } | null)?.vars);
  if (!vars.success) return fail(zodErrors(file, parsed, vars.error, ["vars"]));
  const missing: MissingVar[] = [];
  const rendered = renderScenarioDoc(doc, vars.data, missing);
  const errors: ContentError[] = missing.map((m) => ({
    file,
    ...positionOf(parsed, m.path),
    message: `var '${m.name}' is not defined in vars`,
  }));

  const result = ZScenarioFile.safeParse(rendered);
  if (!result.success) return fail([...errors, ...zodErrors(file, parsed, result.error)]);
  const raw = result.data;
  if (raw.id !== id) {
    errors.push({ file, ...positionOf(parsed, ["id"]), message: `id '${raw.id}' must equal the folder name '${id}'` });
  }

  const markdown = (rel: string, at: (string | number)[]): string => {
    const mdFile = path.join(dir, rel);
    if (!existsSync(mdFile)) {
      errors.push({ file, ...positionOf(parsed, at), message: `file not found: ${rel}` });
      return "";
    }
    const md = readFileSync(mdFile, "utf8");
    const inMarkdown: MissingVar[] = [];
    const out = renderText(md, vars.data, inMarkdown);
    for (const m of inMarkdown) {
      errors.push({ file: mdFile, ...offsetPosition(md, m.offset), message: `var '${m.name}' is not defined in vars` });
    }
    return out;
  };

  const { intro, setup, tasks: rawTasks, mistakes, alternatives, ...fields } = raw;
  const tasks: ResolvedTask[] = rawTasks.map(({ text, checks, explanation, solution, ...task }, i) => ({
    ...task,
    markdown: markdown(text, ["tasks", i, "text"]),
    checks: checks.map((c) => ({ ...c, id: checkIdOf(c) })),
    solution: path.join(dir, solution),
    explanation: explanation === undefined ? undefined : markdown(explanation, ["tasks", i, "explanation"]),
  }));
  const scenario: Scenario = {
    ...fields,
    dir,
    introMarkdown: markdown(intro, ["intro"]),
    setup: setup.map((step) =>
      typeof step === "string" ? { path: path.join(dir, step) } : { ...step, path: sampleManifest(step.sample) },
    ),
    tasks,
    mistakes: mistakes.map((m) => ({ ...m, path: path.join(dir, m.path) })),
    alternatives: alternatives.map((a) => ({
      ...a,
      path: path.join(dir, a.path),
      solutions: alternativeFiles(dir, a.path, tasks),
    })),
    verifyModule: existsSync(path.join(dir, "verify.ts")) ? path.join(dir, "verify.ts") : undefined,
    totalPoints: tasks.reduce((sum, t) => sum + t.points, 0),
  };
  return errors.length > 0 ? fail(errors) : { ok: true, scenario };
}

/**
 * A task's file in an alternative folder: the path its solution has under solution/, under the
 * alternative's folder instead (solution/vs.yaml → solution-alt/vs.yaml; solution/ → solution-alt/).
 * Tasks with no such file keep no entry.
 */
function alternativeFiles(dir: string, alternative: string, tasks: readonly ResolvedTask[]): Record<string, string> {
  const solutionRoot = path.join(dir, "solution");
  const entries = tasks.flatMap((t) => {
    const rel = path.relative(solutionRoot, t.solution);
    if (rel.startsWith("..")) return [];
    const file = path.join(dir, alternative, rel);
    return existsSync(file) ? [[t.id, file] as const] : [];
  });
  return Object.fromEntries(entries);
}

function resolveDir(dirOrId: string): string {
  if (dirOrId.includes("/") || dirOrId.includes(path.sep) || dirOrId === ".") return path.resolve(dirOrId);
  const roots = scenariosRoots();
  const found = roots.find((root) => existsSync(path.join(root, dirOrId, "scenario.yaml")));
  return path.join(found ?? roots[0], dirOrId);
}

/** Zod's issues at their file:line:column; an unknown field at its own line. */
export function zodErrors(
  file: string,
  parsed: ParsedYaml,
  error: z.ZodError,
  prefix: PropertyKey[] = [],
): ContentError[] {
  return error.issues.map((issue) => {
    const at = [...prefix, ...issue.path];
    const where = issue.code === "unrecognized_keys" ? [...at, issue.keys[0]] : at;
    return {
      file,
      ...positionOf(parsed, where),
      message: `${at.length > 0 ? `${at.join(".")}: ` : ""}${describeIssue(issue)}`,
    };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
  if (issue.code === "invalid_value") return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}

/** The same error once (file, position and message). */
export function dedupeErrors(errors: ContentError[]): ContentError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.file}:${e.line}:${e.column}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

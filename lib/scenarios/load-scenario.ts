import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { sampleManifest, scenariosRoot } from "./paths";
import { type MissingVar, renderText, renderValue } from "./render-vars";
import {
  type ContentError,
  checkIdOf,
  type ResolvedTask,
  type Scenario,
  type TScenarioFile,
  ZScenarioFile,
} from "./schema";
import { offsetPosition, type ParsedYaml, parseYamlWithPositions, positionOf } from "./yaml-positions";

export type LoadResult =
  | { ok: true; scenario: Scenario }
  | { ok: false; id: string; dir: string; errors: ContentError[] };

/** Loads `scenarios/<id>` (or any folder holding a scenario.yaml): schema, vars, Markdown. */
export function loadScenario(dirOrId: string): LoadResult {
  const dir = resolveDir(dirOrId);
  const id = path.basename(dir);
  const file = path.join(dir, "scenario.yaml");
  const fail = (errors: ContentError[]): LoadResult => ({ ok: false, id, dir, errors });
  if (!existsSync(file)) return fail([{ file, message: "no scenario.yaml in this folder" }]);

  const text = readFileSync(file, "utf8");
  const parsed = parseYamlWithPositions(file, text);
  if (parsed.errors.length > 0) return fail(parsed.errors);

  const result = ZScenarioFile.safeParse(parsed.doc.toJS());
  if (!result.success) return fail(zodErrors(file, parsed, result.error));
  const raw = result.data;
  if (raw.id !== id) {
    return fail([
      { file, ...positionOf(parsed, ["id"]), message: `id '${raw.id}' must equal the folder name '${id}'` },
    ]);
  }

  const errors: ContentError[] = [];
  const vars = raw.vars;
  const inYaml = (value: unknown): unknown => {
    const missing: MissingVar[] = [];
    const out = renderValue(value, vars, missing);
    for (const m of missing) errors.push(missingVarError(file, text, m.name));
    return out;
  };
  const markdown = (rel: string): string => {
    const mdFile = path.join(dir, rel);
    if (!existsSync(mdFile)) {
      errors.push({ file, ...findText(text, rel), message: `file not found: ${rel}` });
      return "";
    }
    const md = readFileSync(mdFile, "utf8");
    const missing: MissingVar[] = [];
    const out = renderText(md, vars, missing);
    for (const m of missing) {
      errors.push({ file: mdFile, ...offsetPosition(md, m.offset), message: `var '${m.name}' is not defined in vars` });
    }
    return out;
  };

  const tasks: ResolvedTask[] = raw.tasks.map((t) => ({
    id: t.id,
    title: inYaml(t.title) as string,
    markdown: markdown(t.text),
    points: t.points,
    scope: t.scope,
    checks: t.checks.map((c) => ({
      id: checkIdOf(c),
      use: c.use,
      fn: c.fn,
      with: inYaml(c.with) as Record<string, unknown>,
      hint: c.hint === undefined ? undefined : (inYaml(c.hint) as string),
    })),
    hints: inYaml(t.hints) as string[],
    solution: path.join(dir, t.solution),
    explanation: t.explanation === undefined ? undefined : markdown(t.explanation),
    preSatisfied: t.preSatisfied,
  }));

  const scenario: Scenario = {
    id,
    dir,
    title: inYaml(raw.title) as string,
    summary: inYaml(raw.summary) as string,
    domain: raw.domain,
    competency: raw.competency,
    difficulty: raw.difficulty,
    minutes: raw.minutes,
    istio: raw.istio,
    requires: raw.requires,
    vars,
    namespaces: inYaml(raw.namespaces) as string[],
    introMarkdown: markdown(raw.intro),
    setup: resolveSetup(dir, raw, inYaml),
    tasks,
    mistakes: raw.mistakes.map((m) => ({ path: path.join(dir, m.path), why: inYaml(m.why) as string, fails: m.fails })),
    verifyModule: existsSync(path.join(dir, "verify.ts")) ? path.join(dir, "verify.ts") : undefined,
    totalPoints: tasks.reduce((sum, t) => sum + t.points, 0),
  };
  return errors.length > 0 ? fail(dedupe(errors)) : { ok: true, scenario };
}

function resolveDir(dirOrId: string): string {
  if (dirOrId.includes("/") || dirOrId.includes(path.sep) || dirOrId === ".") return path.resolve(dirOrId);
  return path.join(scenariosRoot(), dirOrId);
}

function resolveSetup(dir: string, raw: TScenarioFile, inYaml: (v: unknown) => unknown): Scenario["setup"] {
  return raw.setup.map((step) =>
    typeof step === "string"
      ? { manifest: path.join(dir, step) }
      : { sample: step.sample, namespace: inYaml(step.namespace) as string, manifest: sampleManifest(step.sample) },
  );
}

function zodErrors(file: string, parsed: ParsedYaml, error: z.ZodError): ContentError[] {
  return error.issues.map((issue) => ({
    file,
    ...positionOf(parsed, issue.path),
    message: `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${describeIssue(issue)}`,
  }));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
  if (issue.code === "invalid_value") return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}

function missingVarError(file: string, text: string, name: string): ContentError {
  const offset = text.search(new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`));
  return { file, ...offsetPosition(text, Math.max(offset, 0)), message: `var '${name}' is not defined in vars` };
}

function findText(text: string, needle: string): { line: number; column: number } {
  return offsetPosition(text, Math.max(text.indexOf(needle), 0));
}

function dedupe(errors: ContentError[]): ContentError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.file}:${e.line}:${e.column}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

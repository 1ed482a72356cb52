// A scenario's verify.ts: trusted code, like a plugin. The one loader that the lint and the
// engine share, so both accept and refuse the same module and the same names.
import { pathToFileURL } from "node:url";
import type { CustomChecks } from "./engine";
import type { CheckDefinition } from "./types";

/** Is this value a CheckDefinition (as exported by a scenario's verify.ts)? */
export function isCheckDefinition(v: unknown): v is CheckDefinition {
  const d = v as Partial<CheckDefinition> | undefined;
  return (
    typeof d === "object" &&
    d !== null &&
    typeof d.name === "string" &&
    typeof d.run === "function" &&
    typeof (d.params as { safeParse?: unknown } | undefined)?.safeParse === "function" &&
    (Array.isArray(d.kinds) || typeof d.kinds === "function")
  );
}

export type VerifyModuleResult = { ok: true; checks: CustomChecks } | { ok: false; error: string };

/** Loads a scenario's verify.ts: its exported CheckDefinitions, by export name; other exports are not checks. */
export async function loadVerifyModule(file: string): Promise<VerifyModuleResult> {
  try {
    // Left to Node at run time: Next's bundler would otherwise replace an import of a path it
    // cannot know with "Cannot find module as expression is too dynamic". A .ts file loads
    // through tsx, which runs the CLI, the tests and the app's server (server.ts).
    const url = pathToFileURL(file).href;
    const mod = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ url)) as Record<string, unknown>;
    const checks = new Map<string, CheckDefinition>();
    for (const [name, value] of exportsOf(mod)) if (isCheckDefinition(value)) checks.set(name, value);
    return { ok: true, checks };
  } catch (e) {
    return { ok: false, error: `cannot load ${file}: ${(e as Error).message}` };
  }
}

/**
 * A module's exports by name. A verify.ts outside a `"type": "module"` package loads as CommonJS,
 * and inside the app's server bundle Node may then show its exports only under `default`.
 */
function exportsOf(mod: Record<string, unknown>): [string, unknown][] {
  const entries = Object.entries(mod);
  const fallback = mod.default;
  if (typeof fallback !== "object" || fallback === null || isCheckDefinition(fallback)) return entries;
  const named = new Set(entries.map(([name]) => name));
  return [...entries, ...Object.entries(fallback).filter(([name]) => !named.has(name))];
}

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
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const checks = new Map<string, CheckDefinition>();
    for (const [name, value] of Object.entries(mod)) if (isCheckDefinition(value)) checks.set(name, value);
    return { ok: true, checks };
  } catch (e) {
    return { ok: false, error: `cannot load ${file}: ${(e as Error).message}` };
  }
}

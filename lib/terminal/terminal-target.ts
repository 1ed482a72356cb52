// What a terminal belongs to: a scenario (practice: one shell per scenario) or an exam sitting
// (one shell for the whole exam, whatever task is shown). Both share the token store and the
// session map under a key; an exam's key has a colon, which no scenario id can have.
import path from "node:path";
import { z } from "zod";
import { ZScenarioId } from "../scenarios/schema";

export type TerminalTarget = { kind: "scenario"; id: string } | { kind: "exam"; id: string };

/** An exam sitting's id as the store makes them (a cuid): lowercase letters and digits. */
export const ZExamSittingId = z.string().regex(/^[a-z0-9]{1,64}$/, "expected an exam sitting's id");

/** The target of a bare string: a scenario id (what the practice player has always passed). */
export function targetOf(target: TerminalTarget | string): TerminalTarget {
  return typeof target === "string" ? { kind: "scenario", id: target } : target;
}

/** A target whose id parses; undefined otherwise. */
export function parseTerminalTarget(target: TerminalTarget | string): TerminalTarget | undefined {
  const t = targetOf(target);
  const parsed = t.kind === "scenario" ? ZScenarioId.safeParse(t.id) : ZExamSittingId.safeParse(t.id);
  return parsed.success ? t : undefined;
}

/** The key of the token store and the session map: the scenario's id, or `exam:<sitting id>`. */
export function terminalKey(target: TerminalTarget | string): string {
  const t = targetOf(target);
  return t.kind === "scenario" ? t.id : `exam:${t.id}`;
}

/** The target named by the upgrade's query: `?scenario=<id>` or `?exam=<sitting id>`, not both. */
export function targetOfQuery(query: URLSearchParams): TerminalTarget | undefined {
  const scenario = query.get("scenario");
  const exam = query.get("exam");
  if (scenario !== null && exam === null) return parseTerminalTarget({ kind: "scenario", id: scenario });
  if (exam !== null && scenario === null) return parseTerminalTarget({ kind: "exam", id: exam });
  return undefined;
}

/**
 * The shell's working folder: `<workspaces>/<scenario>/` for a scenario, `<workspaces>/.exams/<id>/`
 * for an exam (no scenario id starts with a dot, so the two never meet).
 */
export function workspaceOf(target: TerminalTarget, workspacesDir: string): string {
  return target.kind === "scenario"
    ? path.join(workspacesDir, target.id)
    : path.join(workspacesDir, ".exams", target.id);
}

/** What the prompt shows: the scenario's id, or `exam`. */
export function promptNameOf(target: TerminalTarget): string {
  return target.kind === "scenario" ? target.id : "exam";
}

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A temporary scenarios folder holding copies of the repo's scenarios. */
export function copyScenarios(ids: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), "ica-scenarios-"));
  for (const id of ids) cpSync(path.join("scenarios", id), path.join(root, id), { recursive: true });
  return root;
}

/** Copies a scenario under a new id and applies a text edit to its scenario.yaml. */
export function brokenCopy(root: string, from: string, to: string, edit: (yaml: string) => string): string {
  const dir = path.join(root, to);
  cpSync(path.join("scenarios", from), dir, { recursive: true });
  const file = path.join(dir, "scenario.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8").replace(`id: ${from}`, `id: ${to}`)));
  return dir;
}

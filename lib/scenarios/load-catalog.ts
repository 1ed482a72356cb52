import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { scenariosRoots } from "../paths";
import { type LoadResult, loadScenario } from "./load-scenario";

/**
 * Every scenario folder under the roots, loaded; a broken one is listed with its errors. An id
 * found in two roots is taken from the first (as loadScenario does).
 */
export function loadCatalog(roots: string | readonly string[] = scenariosRoots()): LoadResult[] {
  const folders = new Map<string, string>(); // id → folder, the first root's
  for (const root of typeof roots === "string" ? [roots] : roots) {
    if (!existsSync(root)) continue;
    for (const d of readdirSync(root, { withFileTypes: true })) {
      const isScenario =
        d.isDirectory() && !/^[._]/.test(d.name) && existsSync(path.join(root, d.name, "scenario.yaml"));
      if (isScenario && !folders.has(d.name)) folders.set(d.name, path.join(root, d.name));
    }
  }
  return [...folders.values()].map((dir) => loadScenario(dir)).sort((a, b) => idOf(a).localeCompare(idOf(b)));
}

function idOf(r: LoadResult): string {
  return r.ok ? r.scenario.id : r.id;
}

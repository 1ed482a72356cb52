import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { scenariosRoot } from "../paths";
import { type LoadResult, loadScenario } from "./load-scenario";

/** Every scenario folder under the root, loaded; a broken one is listed with its errors. */
export function loadCatalog(root: string = scenariosRoot()): LoadResult[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith(".") && !d.name.startsWith("_"))
    .filter((d) => existsSync(path.join(root, d.name, "scenario.yaml")))
    .map((d) => loadScenario(path.join(root, d.name)))
    .sort((a, b) => idOf(a).localeCompare(idOf(b)));
}

function idOf(r: LoadResult): string {
  return r.ok ? r.scenario.id : r.id;
}

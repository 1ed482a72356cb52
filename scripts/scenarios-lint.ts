// npm run scenarios:lint -- [DIR...]: lint every scenario (or the folders given, also against the
// catalog's namespaces); exit 1 on any problem.
import path from "node:path";
import { scenariosRoots } from "../lib/paths";
import { lintScenario, namespaceClashes } from "../lib/scenarios/lint-scenario";
import { loadCatalog } from "../lib/scenarios/load-catalog";
import { loadScenario } from "../lib/scenarios/load-scenario";
import { type ContentError, formatContentError, type Scenario } from "../lib/scenarios/schema";

const args = process.argv.slice(2);
const catalog = loadCatalog();
const dirs = args.length > 0 ? args.map((a) => path.resolve(a)) : catalog.map((r) => (r.ok ? r.scenario.dir : r.dir));
const loaded = (rs: ReturnType<typeof loadCatalog>): Scenario[] => rs.flatMap((r) => (r.ok ? [r.scenario] : []));
const linted = loaded(dirs.map((d) => loadScenario(d)));
const others = loaded(catalog).filter((c) => !linted.some((l) => path.resolve(l.dir) === path.resolve(c.dir)));
const clashes = namespaceClashes(linted, [...linted, ...others]);

let failed = 0;
for (const dir of dirs) {
  const errors: ContentError[] = [...(await lintScenario(dir)), ...clashes.filter((e) => path.dirname(e.file) === dir)];
  const name = path.relative(process.cwd(), dir) || dir;
  if (errors.length === 0) {
    console.log(`✓ ${name}`);
    continue;
  }
  failed++;
  console.log(`✗ ${name}`);
  for (const e of errors) console.log(`  ${formatContentError({ ...e, file: path.relative(process.cwd(), e.file) })}`);
}
if (dirs.length === 0) console.log(`no scenarios under ${scenariosRoots().join(", ")}`);
console.log(`\n${dirs.length - failed} of ${dirs.length} scenarios clean`);
process.exit(failed > 0 || dirs.length === 0 ? 1 : 0);

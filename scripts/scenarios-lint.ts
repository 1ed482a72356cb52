// npm run scenarios:lint -- [DIR...]: lint every scenario (or the folders given); exit 1 on any problem.
import path from "node:path";
import { scenariosRoot } from "../lib/paths";
import { lintScenario } from "../lib/scenarios/lint-scenario";
import { loadCatalog } from "../lib/scenarios/load-catalog";
import { formatContentError } from "../lib/scenarios/schema";

const args = process.argv.slice(2);
const dirs =
  args.length > 0 ? args.map((a) => path.resolve(a)) : loadCatalog().map((r) => (r.ok ? r.scenario.dir : r.dir));

let failed = 0;
for (const dir of dirs) {
  const errors = await lintScenario(dir);
  const name = path.relative(process.cwd(), dir) || dir;
  if (errors.length === 0) {
    console.log(`✓ ${name}`);
    continue;
  }
  failed++;
  console.log(`✗ ${name}`);
  for (const e of errors) console.log(`  ${formatContentError({ ...e, file: path.relative(process.cwd(), e.file) })}`);
}
if (dirs.length === 0) console.log(`no scenarios under ${scenariosRoot()}`);
console.log(`\n${dirs.length - failed} of ${dirs.length} scenarios clean`);
process.exit(failed > 0 || dirs.length === 0 ? 1 : 0);

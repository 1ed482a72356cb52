// npm run exams:lint -- [FILE...]: lint every exam under exams/ (or the files given) against the
// contract and the scenario catalog, print each clean exam's domain shares; exit 1 on any problem.
import path from "node:path";
import { domainShares, formatShares } from "../lib/exams/domain-shares";
import { lintExam } from "../lib/exams/lint-exam";
import { examsDir, listExamFiles, loadExam } from "../lib/exams/load-exam";
import { resolveExamTasks } from "../lib/exams/resolve-exam";
import { loadCatalog } from "../lib/scenarios/load-catalog";
import { formatContentError } from "../lib/scenarios/schema";

const args = process.argv.slice(2);
const catalog = loadCatalog();
const files = args.length > 0 ? args.map((a) => path.resolve(a)) : listExamFiles();
const relative = (file: string) => path.relative(process.cwd(), file) || file;

let failed = 0;
for (const file of files) {
  const errors = lintExam(file, catalog);
  if (errors.length > 0) {
    failed++;
    console.log(`✗ ${relative(file)}`);
    for (const e of errors) console.log(`  ${formatContentError({ ...e, file: relative(e.file) })}`);
    continue;
  }
  const loaded = loadExam(file);
  const tasks = loaded.ok ? resolveExamTasks(loaded.exam.tasks, catalog).tasks : [];
  const points = tasks.reduce((sum, t) => sum + t.task.points, 0);
  const shares = domainShares(tasks.map((t) => ({ domain: t.scenario.domain, points: t.task.points })));
  console.log(`✓ ${relative(file)}: ${tasks.length} tasks, ${points} points; ${formatShares(shares)}`);
}
if (files.length === 0) console.log(`no exams under ${relative(examsDir())}`);
console.log(`\n${files.length - failed} of ${files.length} exams clean`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);

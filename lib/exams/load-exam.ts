import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../paths";
import { zodErrors } from "../scenarios/load-scenario";
import { type ContentError, type TExamFile, ZExamFile } from "../scenarios/schema";
import { parseYamlWithPositions, positionOf } from "../scenarios/yaml-positions";

/** Where a field of an exam file is: its file, line and column. */
export type ExamPosition = (path: readonly (string | number)[]) => Pick<ContentError, "file" | "line" | "column">;

export type ExamLoadResult =
  | { ok: true; exam: TExamFile; file: string; at: ExamPosition }
  | { ok: false; id: string; file: string; errors: ContentError[] };

/** The built-in exams: `exams/<id>.yaml` in the repository. */
export function examsDir(): string {
  return path.join(REPO_ROOT, "exams");
}

/** Every `*.yaml` of a folder, sorted; none when the folder does not exist. */
export function listExamFiles(dir: string = examsDir()): string[] {
  if (!existsSync(/* turbopackIgnore: true */ dir)) return [];
  return readdirSync(/* turbopackIgnore: true */ dir, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".yaml") && !/^[._]/.test(d.name))
    .map((d) => path.join(dir, d.name))
    .sort();
}

/** Loads `exams/<id>.yaml` (a path, or an id of the built-in exams) against the contract. */
export function loadExam(fileOrId: string): ExamLoadResult {
  const file = fileOrId.endsWith(".yaml") ? path.resolve(fileOrId) : path.join(examsDir(), `${fileOrId}.yaml`);
  if (!existsSync(file)) return { ok: false, id: idOfFile(file), file, errors: [{ file, message: "file not found" }] };
  return parseExam(file, readFileSync(file, "utf8"));
}

/** An exam file's text against the contract (ZExamFile); every error at its file:line:column. */
export function parseExam(file: string, text: string): ExamLoadResult {
  const id = idOfFile(file);
  const parsed = parseYamlWithPositions(file, text);
  if (parsed.errors.length > 0) return { ok: false, id, file, errors: parsed.errors };
  const at: ExamPosition = (p) => ({ file, ...positionOf(parsed, p) });
  const result = ZExamFile.safeParse(parsed.doc.toJS());
  if (!result.success) return { ok: false, id, file, errors: zodErrors(file, parsed, result.error) };
  if (result.data.id !== id) {
    const errors = [{ ...at(["id"]), message: `id '${result.data.id}' must equal the file name '${id}'` }];
    return { ok: false, id, file, errors };
  }
  return { ok: true, exam: result.data, file, at };
}

function idOfFile(file: string): string {
  return path.basename(file, ".yaml");
}

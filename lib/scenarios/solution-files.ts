import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { manifestFiles } from "../cluster/file-cluster";
import { isScript } from "../cluster/run-script";

/**
 * The files that make up an answer, as the learner is shown them: its manifests in apply order,
 * or a script followed by the files beside it that the script names (`istioctl install -f iop.yaml`).
 */
export function answerFilePaths(target: string): string[] {
  if (!isScript(target)) return manifestFiles(target);
  const text = readFileSync(target, "utf8");
  const dir = path.dirname(target);
  const named = readdirSync(dir)
    .filter((f) => f !== path.basename(target) && !isScript(f) && text.includes(f))
    .sort();
  return [target, ...named.map((f) => path.join(dir, f))];
}

import { existsSync, readFileSync } from "node:fs";
import { LineCounter, parseAllDocuments } from "yaml";
import { manifestFiles } from "../cluster/file-cluster";
import type { ContentError } from "./schema";

export interface ManifestObject {
  file: string;
  line: number;
  value: Record<string, unknown>;
}

/** Every object in the manifests of a file or folder, with YAML errors as file:line:column. */
export function readManifests(target: string): { objects: ManifestObject[]; errors: ContentError[] } {
  const objects: ManifestObject[] = [];
  const errors: ContentError[] = [];
  if (!existsSync(target)) return { objects, errors };
  for (const file of manifestFiles(target)) {
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(readFileSync(file, "utf8"), { lineCounter });
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      for (const e of doc.errors) {
        const pos = lineCounter.linePos(e.pos[0]);
        errors.push({ file, line: pos.line, column: pos.col, message: e.message.split("\n")[0] });
      }
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) continue;
      const line = lineCounter.linePos(doc.range[0]).line;
      if (typeof value !== "object" || Array.isArray(value)) {
        errors.push({ file, line, column: 1, message: "expected a Kubernetes object" });
        continue;
      }
      const obj = value as Record<string, unknown>;
      if (obj.kind === "List" && Array.isArray(obj.items)) {
        for (const item of obj.items) objects.push({ file, line, value: item as Record<string, unknown> });
      } else {
        objects.push({ file, line, value: obj });
      }
    }
  }
  return { objects, errors };
}

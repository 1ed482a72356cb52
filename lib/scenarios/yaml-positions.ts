import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import type { ContentError } from "./schema";

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  errors: ContentError[];
}

export function parseYamlWithPositions(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const errors = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    const source = text.split("\n")[pos.line - 1];
    return { file, line: pos.line, column: pos.col, message: e.message.split("\n")[0], source };
  });
  return { doc, lineCounter, errors };
}

/** The line and column of the deepest node that exists along a path (the field, or its parent). */
export function positionOf(parsed: ParsedYaml, path: readonly PropertyKey[]): { line: number; column: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = parsed.doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) {
      // For a key that exists, point at the key rather than its value when possible.
      const pos = parsed.lineCounter.linePos(keyOffset(parsed, path.slice(0, depth)) ?? node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

function keyOffset(parsed: ParsedYaml, path: readonly PropertyKey[]): number | undefined {
  if (path.length === 0) return undefined;
  const parent = parsed.doc.getIn(path.slice(0, -1) as (string | number)[], true);
  if (!isNode(parent) || !("items" in parent)) return undefined;
  const last = path[path.length - 1];
  for (const item of (parent as { items: unknown[] }).items) {
    const key = (item as { key?: { value?: unknown; range?: [number, number, number] } }).key;
    if (key && key.value === last && key.range) return key.range[0];
  }
  return undefined;
}

/** file:line:column of a text offset. */
export function offsetPosition(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

// The mesh config as text (ConfigMap istio-system/istio, key `mesh`): setting dotted keys in it
// while every other key, and the text's own layout, stays as written.
import { type Document, isMap, parseDocument } from "yaml";

/** The mesh's root namespace, where the mesh config's ConfigMap lives. */
export const MESH_ROOT_NAMESPACE = "istio-system";
export const MESH_CONFIGMAP = "istio";

export class MeshConfigTextError extends Error {}

/** Deep equality of JSON values (key order ignored). */
export function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => isSameJson(x, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const keysB = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return keys.length === keysB.length && keys.every((k) => isSameJson(ra[k], rb[k]));
}

function pathOf(key: string): string[] {
  return key.split(".");
}

function valueAt(root: unknown, keyPath: readonly string[]): { found: boolean; value?: unknown } {
  let node: unknown = root;
  for (const k of keyPath) {
    if (typeof node !== "object" || node === null || Array.isArray(node) || !(k in node)) return { found: false };
    node = (node as Record<string, unknown>)[k];
  }
  return { found: true, value: node };
}

function parseMesh(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new MeshConfigTextError(`the mesh config is not valid YAML: ${doc.errors[0].message}`);
  return doc;
}

/**
 * Sets each declared dotted key of the mesh YAML `current` to its value in `baseline`, or removes
 * it when the baseline lacks it (with the maps that held only it and that the baseline lacks too).
 * Every other key stays as written. Returns `current` itself when nothing changed.
 */
export function restoreMeshConfigKeys(current: string, baseline: string | null, keys: readonly string[]): string {
  const doc = parseMesh(current);
  const base: unknown = baseline === null ? {} : (parseMesh(baseline).toJS() ?? {});
  if (doc.contents === null && keys.some((k) => valueAt(base, pathOf(k)).found)) doc.contents = doc.createNode({});
  let changed = false;
  for (const key of keys) {
    const keyPath = pathOf(key);
    const now = valueAt(doc.toJS() ?? {}, keyPath);
    const then = valueAt(base, keyPath);
    if (now.found === then.found && isSameJson(now.value, then.value)) continue;
    changed = true;
    if (then.found) {
      // A scalar where a map should be (outboundTrafficPolicy: x, key outboundTrafficPolicy.mode) goes.
      for (let i = 1; i < keyPath.length; i++) {
        const parent = doc.getIn(keyPath.slice(0, i), true);
        if (parent !== undefined && !isMap(parent)) doc.deleteIn(keyPath.slice(0, i));
      }
      doc.setIn(keyPath, doc.createNode(then.value));
    } else {
      doc.deleteIn(keyPath);
      for (let i = keyPath.length - 1; i > 0; i--) {
        const parentPath = keyPath.slice(0, i);
        const parent = doc.getIn(parentPath, true);
        if (!isMap(parent) || parent.items.length > 0 || valueAt(base, parentPath).found) break;
        doc.deleteIn(parentPath);
      }
    }
  }
  if (!changed) return current;
  // Keep the text's own sequence style (istioctl writes `- item` level with its key).
  const indentSeq = !/^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(current);
  const text = doc.toString({ lineWidth: 0, indentSeq });
  // istioctl writes the text without a final newline; keep whichever the text had.
  return current.endsWith("\n") || current === "" ? text : text.replace(/\n$/, "");
}

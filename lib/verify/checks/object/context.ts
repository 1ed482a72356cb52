// What the generic object checks share: the kind a check names, built in or described by its parameters.
import { z } from "zod";
import { ALL_KINDS } from "../../../cluster/kinds";
import type { KindRef } from "../../../cluster/types";
import { groupOf } from "../../../cluster/types";

export const ZKindParams = z.object({
  kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "expected a Kind like VirtualService"),
  apiVersion: z
    .string()
    .min(1)
    .optional()
    .describe("needed for kinds outside the built-in list, or to tell Gateway kinds apart"),
  plural: z
    .string()
    .min(1)
    .optional()
    .describe("resource name for kinds outside the built-in list (default: lowercase plural of kind)"),
  namespaced: z.boolean().optional().describe("for kinds outside the built-in list (default true)"),
  namespace: z.string().min(1).optional(),
});
type TKindParams = z.infer<typeof ZKindParams>;

function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** The KindRef a generic check names, or why it cannot tell. */
function resolveKind(p: TKindParams): KindRef | string {
  const group = p.apiVersion === undefined ? undefined : groupOf(p.apiVersion);
  const known = ALL_KINDS.filter((k) => k.kind === p.kind && (group === undefined || k.group === group));
  if (known.length === 1) return known[0];
  if (known.length > 1)
    return `kind ${p.kind} is ambiguous (${known.map((k) => k.group || "core").join(", ")}): give apiVersion`;
  if (p.apiVersion === undefined)
    return `kind ${p.kind} is not built in: give its apiVersion (and plural if irregular)`;
  const version = p.apiVersion.includes("/") ? p.apiVersion.split("/")[1] : p.apiVersion;
  return {
    group: group ?? "",
    version,
    kind: p.kind,
    plural: p.plural ?? pluralOf(p.kind),
    namespaced: p.namespaced ?? true,
  };
}

export const kindRefined = <T extends TKindParams>(p: T, ctx: z.RefinementCtx): void => {
  const k = resolveKind(p);
  if (typeof k === "string") ctx.addIssue({ code: "custom", path: ["kind"], message: k });
};

export function kindOrThrow(p: TKindParams): KindRef {
  const k = resolveKind(p);
  if (typeof k === "string") throw new Error(k);
  return k;
}

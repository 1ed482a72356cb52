// Generic fallbacks: an object exists, a field has a value. For anything the specific checks miss.
import { z } from "zod";
import { ALL_KINDS } from "../../cluster/kinds";
import type { KindRef, KubeObject } from "../../cluster/types";
import { groupOf } from "../../cluster/types";
import { arr, describeObject, isRec, labelsOf, parsePath, readPath, show } from "../../istio/fields";
import { formatLabels, matchesLabels } from "../../istio/labels";
import { defineCheck } from "../types";
import { evidenceOf, fail, firstPassing, noneFound, pass, ZLabels } from "./common";
import { isSameValue } from "./mesh";

const ZKindParams = z.object({
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

const kindRefined = <T extends TKindParams>(p: T, ctx: z.RefinementCtx): void => {
  const k = resolveKind(p);
  if (typeof k === "string") ctx.addIssue({ code: "custom", path: ["kind"], message: k });
};

function kindOrThrow(p: TKindParams): KindRef {
  const k = resolveKind(p);
  if (typeof k === "string") throw new Error(k);
  return k;
}

export const objectExists = defineCheck({
  name: "object.exists",
  description:
    "An object of a kind exists (in a namespace, with a name, with labels). For kinds outside the built-in list give apiVersion (and plural if irregular).",
  params: ZKindParams.extend({
    name: z.string().min(1).optional(),
    labels: ZLabels.optional().describe("labels the object must carry"),
    absent: z.boolean().default(false).describe("true: no such object may exist"),
  })
    .strict()
    .superRefine(kindRefined),
  example: { kind: "MutatingWebhookConfiguration", name: "istio-sidecar-injector" },
  kinds: (p) => [kindOrThrow(p)],
  run(p, { snapshot }) {
    const kind = kindOrThrow(p);
    const found = snapshot
      .list(kind, kind.namespaced ? p.namespace : undefined)
      .filter(
        (o) => (p.name === undefined || o.metadata.name === p.name) && matchesLabels(p.labels ?? {}, labelsOf(o)),
      );
    const what = `${p.kind}${p.name ? ` ${p.namespace ? `${p.namespace}/` : ""}${p.name}` : ""}${p.labels ? ` labelled ${formatLabels(p.labels)}` : ""}${!p.name && p.namespace ? ` in namespace ${p.namespace}` : ""}`;
    if (p.absent) {
      if (found.length > 0)
        return fail(
          `${found.map(describeObject).join(", ")} exists, expected none`,
          found.map((o) => evidenceOf(o)),
        );
      return pass(`no ${what}, as expected`);
    }
    if (found.length === 0) return fail(`no ${what}`);
    return pass(`${describeObject(found[0])} exists`, [evidenceOf(found[0])]);
  },
});

/** Every expected field/item is in `actual` (objects: key by key; lists: each expected item in some actual item). */
function containsValue(actual: unknown, expected: unknown): boolean {
  if (isRec(expected)) return isRec(actual) && Object.entries(expected).every(([k, v]) => containsValue(actual[k], v));
  if (Array.isArray(expected))
    return Array.isArray(actual) && expected.every((e) => actual.some((a) => containsValue(a, e)));
  return isSameValue(actual, expected);
}

export const objectField = defineCheck({
  name: "object.field",
  description:
    "A field of an object (any of the namespace's objects of the kind when name is omitted): equals a value, is one of some values, is not a value, contains items/fields (partial match), or exists. Numbers and durations compare by value.",
  params: ZKindParams.extend({
    name: z.string().min(1).optional(),
    path: z
      .string()
      .min(1)
      .refine((s) => parsePath(s) !== undefined, "expected a path like spec.http[0].timeout or metadata.labels['app']"),
    equals: z.unknown().optional(),
    oneOf: z.array(z.unknown()).min(1).optional(),
    notEquals: z.unknown().optional().describe("any value but this one (unset counts as different)"),
    contains: z.unknown().optional().describe("for lists and objects: these items/fields must be present"),
    exists: z.boolean().optional(),
  })
    .strict()
    .superRefine(kindRefined)
    .refine(
      (p) => [p.equals, p.oneOf, p.notEquals, p.contains, p.exists].some((v) => v !== undefined),
      "give equals, oneOf, notEquals, contains or exists",
    ),
  example: {
    kind: "Deployment",
    namespace: "istio-system",
    name: "istiod",
    path: "spec.template.spec.containers[0].resources.requests.cpu",
    equals: "500m",
  },
  kinds: (p) => [kindOrThrow(p)],
  run(p, { snapshot }) {
    const kind = kindOrThrow(p);
    const objects = snapshot
      .list(kind, kind.namespaced ? p.namespace : undefined)
      .filter((o) => p.name === undefined || o.metadata.name === p.name);
    return firstPassing(
      objects,
      (o: KubeObject) => {
        const actual = readPath(o, p.path);
        const at = `${describeObject(o)} ${p.path}`;
        const evidence = [evidenceOf(o, p.path, actual)];
        if (p.exists !== undefined && (actual !== undefined) !== p.exists)
          return fail(`${at} is ${show(actual)}, expected it ${p.exists ? "set" : "unset"}`, evidence);
        if (p.equals !== undefined && !isSameValue(actual, p.equals))
          return fail(`${at} is ${show(actual)}, expected ${show(p.equals)}`, evidence);
        if (p.oneOf !== undefined && !p.oneOf.some((v) => isSameValue(actual, v)))
          return fail(`${at} is ${show(actual)}, expected one of ${show(p.oneOf)}`, evidence);
        if (p.notEquals !== undefined && isSameValue(actual, p.notEquals)) {
          return fail(`${at} is ${show(actual)}, expected anything else`, evidence);
        }
        if (p.contains !== undefined && !containsValue(actual, p.contains)) {
          const listNote = Array.isArray(actual) ? ` (${arr(actual).length} items)` : "";
          return fail(`${at} is ${show(actual)}${listNote}, expected it to contain ${show(p.contains)}`, evidence);
        }
        return pass(`${at} is ${show(actual)}`, evidence);
      },
      noneFound(p.kind, kind.namespaced ? p.namespace : undefined, p.name),
    );
  },
});

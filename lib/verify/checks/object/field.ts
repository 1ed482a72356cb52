// object.field: a field of an object of any kind has a value.
import { z } from "zod";
import type { KubeObject } from "../../../cluster/types";
import { arr, describeObject, isRec, parsePath, readPath, show } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, isSameValue, listNamed, noneFound, pass } from "../common";
import { kindOrThrow, kindRefined, ZKindParams } from "./context";

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
    const objects = listNamed(snapshot, kind, kind.namespaced ? p.namespace : undefined, p.name);
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

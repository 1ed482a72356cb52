// object.exists: an object of any kind exists (or does not).
import { z } from "zod";
import { describeObject, labelsOf } from "../../../istio/fields";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listNamed, pass, ZLabels } from "../common";
import { kindOrThrow, kindRefined, ZKindParams } from "./context";

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
    const found = listNamed(snapshot, kind, kind.namespaced ? p.namespace : undefined, p.name).filter((o) =>
      matchesLabels(p.labels ?? {}, labelsOf(o)),
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

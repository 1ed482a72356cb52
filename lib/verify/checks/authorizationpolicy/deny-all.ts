// authorizationpolicy.deny-all: every request to a namespace (or workload) is denied.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { isDenyAll } from "../../../istio/authorization";
import { arr, describeObject, sortOldestFirst, specOf, str } from "../../../istio/fields";
import { matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, inNamespaceAndRoot, listText, pass, rootNamespace, selectorOf, ZLabels } from "../common";

export const authorizationPolicyDenyAll = defineCheck({
  name: "authorizationpolicy.deny-all",
  description:
    "Every request to the namespace (or to the workloads of `selector`) is denied: by a DENY policy with an empty rule, or by an allow-nothing policy (an empty spec `{}`, or ALLOW without rules) when no ALLOW policy with rules covers the same workloads (ALLOW policies add up, so one with rules lets its requests through). Policies in the root namespace apply mesh-wide.",
  params: z.strictObject({
    namespace: z.string().min(1),
    selector: ZLabels.optional().describe(
      "labels of a workload the policy must cover; a namespace-wide policy covers it too",
    ),
  }),
  example: { namespace: "shop" },
  kinds: [K.authorizationPolicy, K.configMap],
  run(p, { snapshot }) {
    const aps = inNamespaceAndRoot(snapshot, K.authorizationPolicy, p.namespace);
    const isTargeted = (ap: KubeObject): boolean =>
      specOf(ap).targetRef !== undefined || specOf(ap).targetRefs !== undefined;
    const covers = (ap: KubeObject): boolean => {
      const sel = selectorOf(ap);
      return (
        !isTargeted(ap) &&
        (Object.keys(sel).length === 0 || (p.selector !== undefined && matchesLabels(sel, p.selector)))
      );
    };
    const actionOf = (ap: KubeObject): string => str(specOf(ap).action) ?? "ALLOW";
    const covering = sortOldestFirst(aps.filter(covers));
    const denyAll = covering.find((ap) => actionOf(ap) === "DENY" && isDenyAll(ap));
    if (denyAll)
      return pass(`${describeObject(denyAll)} denies every request`, [evidenceOf(denyAll, "spec", specOf(denyAll))]);
    const allowNothing = covering.find((ap) => actionOf(ap) === "ALLOW" && isDenyAll(ap));
    // Without a selector the question is the whole namespace: an ALLOW policy with rules for any of its workloads opens it.
    const opening = aps.filter(
      (ap) =>
        actionOf(ap) === "ALLOW" &&
        arr(specOf(ap).rules).length > 0 &&
        (covers(ap) || (p.selector === undefined && !isTargeted(ap) && ap.metadata.namespace === p.namespace)),
    );
    if (allowNothing && opening.length === 0)
      return pass(`${describeObject(allowNothing)} allows nothing, so every request is denied`, [
        evidenceOf(allowNothing, "spec", specOf(allowNothing)),
      ]);
    if (allowNothing)
      return fail(
        `${describeObject(allowNothing)} allows nothing, but ALLOW policy ${listText(opening.map(describeObject))} lets matching requests through (ALLOW policies add up)`,
        [allowNothing, ...opening].map((ap) => evidenceOf(ap, "spec", specOf(ap))),
      );
    const seen = aps.map((ap) => `${describeObject(ap)} (${actionOf(ap)} with ${arr(specOf(ap).rules).length} rules)`);
    // A deny-all written in another namespace applies there, not here: name it.
    const root = rootNamespace(snapshot);
    const elsewhere = snapshot
      .list(K.authorizationPolicy)
      .filter((ap) => ap.metadata.namespace !== p.namespace && ap.metadata.namespace !== root && isDenyAll(ap));
    const note =
      elsewhere.length > 0
        ? ` (${listText(elsewhere.map(describeObject))} denies all in ${elsewhere.length > 1 ? "their own namespaces" : "its own namespace"}, not in ${p.namespace})`
        : "";
    return fail(
      `no AuthorizationPolicy in namespace ${p.namespace} denies all requests${seen.length > 0 ? `: found ${listText(seen)}` : ""}${note}`,
      aps.map((ap) => evidenceOf(ap)),
    );
  },
});

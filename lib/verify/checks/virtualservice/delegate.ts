// virtualservice.delegate: the VirtualService for a host delegates, and Istio accepts the delegates.
import { z } from "zod";
import { expandHttpRules } from "../../../istio/delegates";
import { arr, rec, specOf, str } from "../../../istio/fields";
import { vsLabel } from "../../../istio/virtual-service";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass } from "../common";
import { describeDelegateProblem, findRootVirtualServices, isOutcome, routeKinds, ZHostTarget } from "./context";

export const virtualServiceDelegate = defineCheck({
  name: "virtualservice.delegate",
  description:
    "The VirtualService for a host delegates: root rules with `delegate` and no `route`; each delegate exists, has no hosts, gateways, tcp or tls, is exported to the root's namespace, and its matches fit inside the root's match.",
  params: ZHostTarget.extend({
    delegates: z
      .array(z.strictObject({ name: z.string().min(1), namespace: z.string().min(1).optional() }))
      .optional()
      .describe("delegates that must be used (namespace defaults to the root's)"),
  }),
  example: { host: "reviews", namespace: "shop", delegates: [{ name: "reviews-api" }] },
  kinds: routeKinds,
  run(p, { snapshot }) {
    const found = findRootVirtualServices(p, snapshot);
    if (isOutcome(found)) return found;
    const { vss, roots } = found;
    const problems: string[] = [];
    const used: string[] = [];
    for (const root of roots) {
      arr(specOf(root).http).forEach((r) => {
        const d = rec(rec(r).delegate);
        if (str(d.name)) used.push(`${str(d.namespace) ?? root.metadata.namespace}/${str(d.name)}`);
      });
      problems.push(...expandHttpRules(root, vss).problems.map(describeDelegateProblem));
    }
    const evidence = roots.map((r) => evidenceOf(r, "spec.http"));
    const names = listText(roots.map(vsLabel));
    if (used.length === 0) return fail(`${names} has no rule with \`delegate\``, evidence);
    const missing = (p.delegates ?? [])
      .map((d) => `${d.namespace ?? roots[0].metadata.namespace}/${d.name}`)
      .filter((d) => !used.includes(d));
    if (missing.length > 0) problems.push(`${names} does not delegate to ${listText(missing)}`);
    if (problems.length > 0) return fail(problems.join("; "), evidence);
    return pass(`${names} delegates to ${listText(used)}`, evidence);
  },
});

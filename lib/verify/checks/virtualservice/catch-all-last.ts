// virtualservice.catch-all-last: every rule of the VirtualService(s) for a host is reachable.
import { z } from "zod";
import { expandHttpRules, type HttpRule } from "../../../istio/delegates";
import { arr, deepEqual } from "../../../istio/fields";
import { isCatchAll, isEnvoyCatchAll } from "../../../istio/http-match";
import { gatewayRouteOrder } from "../../../istio/routing";
import { MESH_GATEWAY, vsLabel } from "../../../istio/virtual-service";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass } from "../common";
import { findRootVirtualServices, isOutcome, routeKinds, ruleLocation, ZHostTarget } from "./context";

export const virtualServiceCatchAllLast = defineCheck({
  name: "virtualservice.catch-all-last",
  description:
    "The rules of the VirtualService for a host are all reachable: a catch-all rule (no match, or prefix /) comes last and no rule repeats an earlier rule's match (IST0130). Through a `gateway` the rules of every VirtualService bound to it count, and since Istio moves a gateway's catch-all routes to the end only a second catch-all or a repeated match is unreachable.",
  params: ZHostTarget.extend({
    requireCatchAll: z.boolean().default(true).describe("fail when no rule catches the remaining requests"),
  }),
  example: { host: "reviews", namespace: "shop" },
  kinds: routeKinds,
  run(p, { snapshot }) {
    const found = findRootVirtualServices(p, snapshot);
    if (isOutcome(found)) return found;
    const { vss, roots, gateway } = found;
    const rules = roots.flatMap((root) => expandHttpRules(root, vss).rules);
    const label = (r: HttpRule): string => ruleLocation(r);
    const evidence = roots.map((root) => evidenceOf(root, "spec.http"));
    const names = listText(roots.map(vsLabel));
    let catchAll: HttpRule | undefined;
    if (gateway === MESH_GATEWAY) {
      const at = rules.findIndex((r) => isCatchAll(r.rule));
      catchAll = rules[at];
      if (at >= 0 && at < rules.length - 1) {
        return fail(
          `${label(rules[at])} matches every request, so ${listText(rules.slice(at + 1).map(label))} never apply: move the catch-all last`,
          evidence,
        );
      }
    } else {
      // Envoy tries the gateway's catch-all routes last, in order: only the first of them is ever used.
      const catchAlls = gatewayRouteOrder(rules).filter((r) => isEnvoyCatchAll(r.match));
      catchAll = catchAlls[0]?.rule;
      const shadowed = [...new Set(catchAlls.slice(1).map((r) => r.rule))].filter((r) => r !== catchAll);
      if (catchAll && shadowed.length > 0)
        return fail(
          `${label(catchAll)} matches every request, so ${listText(shadowed.map(label))} never ${shadowed.length > 1 ? "apply" : "applies"}`,
          evidence,
        );
    }
    for (let i = 1; i < rules.length; i++) {
      const matches = arr(rules[i].rule.match);
      const earlier = rules
        .slice(0, i)
        .findIndex((r) => matches.length > 0 && matches.every((m) => arr(r.rule.match).some((e) => deepEqual(e, m))));
      if (earlier >= 0)
        return fail(
          `${label(rules[i])} repeats the match of ${label(rules[earlier])} and is never used (IST0130)`,
          evidence,
        );
    }
    if (!catchAll && p.requireCatchAll)
      return fail(`${names} has no catch-all rule: requests that match no rule get 404`, evidence);
    return pass(
      `${names}: every rule is reachable${catchAll ? ` and ${label(catchAll)} catches the rest` : ""}`,
      evidence,
    );
  },
});

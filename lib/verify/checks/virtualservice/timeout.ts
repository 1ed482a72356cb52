// virtualservice.timeout: the timeout of the rule a request hits.
import { isSameDuration, parseDuration } from "../../../istio/duration";
import { show } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZDurationParam } from "../common";
import { routeKinds, ruleLocation, withMatchedRule, ZRouteTarget } from "./context";

export const virtualServiceTimeout = defineCheck({
  name: "virtualservice.timeout",
  description:
    "The timeout of the rule a request hits; durations compare by value (5s = 5.0s = 5000ms); an unset timeout is 0s (none).",
  params: ZRouteTarget.extend({ timeout: ZDurationParam }).strict(),
  example: { host: "reviews", namespace: "shop", timeout: "5s" },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const actual = ctx.rule.rule.timeout;
      const at = ruleLocation(ctx.rule, "timeout");
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.timeout`, actual)];
      if (actual === undefined) {
        if (parseDuration(p.timeout) === 0)
          return pass(`${ruleLocation(ctx.rule)} has no timeout (unset, as 0s)`, evidence);
        return fail(`${at} is unset (no timeout), expected ${p.timeout}`, evidence);
      }
      if (!isSameDuration(actual, p.timeout)) return fail(`${at} is ${show(actual)}, expected ${p.timeout}`, evidence);
      return pass(`${ruleLocation(ctx.rule)} has timeout ${show(actual)}`, evidence);
    });
  },
});

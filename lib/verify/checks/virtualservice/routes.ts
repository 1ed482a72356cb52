// virtualservice.routes: the share of requests each destination gets from the rule a request hits.
import { z } from "zod";
import { arr, isRec } from "../../../istio/fields";
import { describeHost, resolveHost } from "../../../istio/hosts";
import { effectiveShares, formatPercent, isSamePercent, type WeightedDestination } from "../../../istio/weights";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZPercent } from "../common";
import { type RuleContext, routeKinds, ruleLocation, withMatchedRule, ZRouteTarget } from "./context";

function describeDestination(d: WeightedDestination, target: string): string {
  const of = d.host === target ? "" : ` of ${describeHost(d.writtenHost, d.host)}`;
  return d.subset ? `subset ${d.subset}${of}` : `host ${describeHost(d.writtenHost, d.host)}`;
}

/** Which destinations an `expect` key names: `subset`, `host` or `host/subset`. */
function destinationsFor(
  key: string,
  dests: WeightedDestination[],
  target: string,
  namespace: string,
): WeightedDestination[] {
  const slash = key.lastIndexOf("/");
  if (slash > 0) {
    const host = resolveHost(key.slice(0, slash), namespace);
    const subset = key.slice(slash + 1);
    return dests.filter((d) => d.host === host && d.subset === subset);
  }
  const bySubset = dests.filter((d) => d.host === target && d.subset === key);
  if (bySubset.length > 0) return bySubset;
  const host = resolveHost(key, namespace);
  return dests.filter((d) => d.host === host);
}

function routeOf(ctx: RuleContext): { problem?: string; shares?: ReturnType<typeof effectiveShares> } {
  const rule = ctx.rule.rule;
  if (isRec(rule.redirect)) return { problem: `${ruleLocation(ctx.rule)} answers with a redirect, not a route` };
  if (isRec(rule.directResponse))
    return { problem: `${ruleLocation(ctx.rule)} answers with a directResponse, not a route` };
  if (arr(rule.route).length === 0) return { problem: `${ruleLocation(ctx.rule)} has no route` };
  const shares = effectiveShares(rule.route, ctx.rule.vs.metadata.namespace ?? "");
  if (shares.problem)
    return { problem: `${ruleLocation(ctx.rule, "route")}: ${shares.problem}; Istio rejects these weights` };
  return { shares };
}

export const virtualServiceRoutes = defineCheck({
  name: "virtualservice.routes",
  description:
    "The share of requests each destination gets from the VirtualService rule a request hits (the VirtualService Istio uses for the host, delegates merged; TCP rules when it has no HTTP rules). Weights are relative: 9:1 equals 90:10; one destination without weight gets 100%.",
  params: ZRouteTarget.extend({
    expect: z
      .record(z.string().min(1), ZPercent)
      .refine((e) => Object.keys(e).length > 0, "name at least one destination")
      .describe(
        "percent per destination: a subset of `host`, another host, or `host/subset`; unnamed destinations must get 0%",
      ),
  }).strict(),
  example: { host: "reviews", namespace: "shop", expect: { v1: 90, v2: 10 } },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const { problem, shares } = routeOf(ctx);
      if (problem || !shares) return fail(problem ?? "no route");
      const target = ctx.host.resolved;
      const assigned = new Set<WeightedDestination>();
      const wrong: string[] = [];
      for (const [key, expected] of Object.entries(p.expect)) {
        const dests = destinationsFor(key, shares.destinations, target, p.namespace).filter((d) => !assigned.has(d));
        for (const d of dests) assigned.add(d);
        const actual = dests.reduce((s, d) => s + d.percent, 0);
        if (!isSamePercent(actual, expected))
          wrong.push(`${key} gets ${formatPercent(actual)}, expected ${formatPercent(expected)}`);
      }
      for (const d of shares.destinations) {
        if (!assigned.has(d) && d.percent > 0)
          wrong.push(`${describeDestination(d, target)} gets ${formatPercent(d.percent)}, expected 0%`);
      }
      const summary = shares.destinations
        .map((d) => `${formatPercent(d.percent)} to ${describeDestination(d, target)}`)
        .join(", ");
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.route`, summary)];
      if (wrong.length > 0)
        return fail(`${ruleLocation(ctx.rule, "route")} sends ${summary}: ${wrong.join("; ")}`, evidence);
      return pass(`${ruleLocation(ctx.rule)} sends ${summary}`, evidence);
    });
  },
});

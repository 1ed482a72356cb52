// virtualservice.headers: header manipulation on the rule a request hits.
import { z } from "zod";
import { arr, type Rec, rec, strMap, strs } from "../../../istio/fields";
import { effectiveShares } from "../../../istio/weights";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass } from "../common";
import { routeKinds, ruleLocation, withMatchedRule, ZRouteTarget, ZStringList } from "./context";

const ZHeaderOps = z.strictObject({
  set: z
    .record(z.string(), z.string())
    .optional()
    .describe("headers that end up with these values (`set` or `add` both pass)"),
  remove: ZStringList.optional(),
});

export const virtualServiceHeaders = defineCheck({
  name: "virtualservice.headers",
  description:
    "Header manipulation on the rule a request hits: at rule level (`headers`) or on every destination that gets traffic (`route[].headers`). A header to set passes with `set` or `add`; names are case-insensitive.",
  params: ZRouteTarget.extend({ requestHeaders: ZHeaderOps.optional(), responseHeaders: ZHeaderOps.optional() })
    .strict()
    .refine(
      (p) => p.requestHeaders !== undefined || p.responseHeaders !== undefined,
      "expect requestHeaders, responseHeaders or both",
    ),
  example: {
    host: "reviews",
    namespace: "shop",
    requestHeaders: { set: { "x-team": "blue" } },
    responseHeaders: { remove: ["x-powered-by"] },
  },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const rule = ctx.rule.rule;
      const routes = arr(rule.route).map(rec);
      const shares = effectiveShares(rule.route, ctx.rule.vs.metadata.namespace ?? "").destinations;
      const live = routes.filter((_, i) => (shares[i]?.percent ?? 0) > 0);
      const wrong: string[] = [];
      for (const [dir, want] of [
        ["request", p.requestHeaders],
        ["response", p.responseHeaders],
      ] as const) {
        if (!want) continue;
        const opsAt = (h: unknown): Rec => rec(rec(h)[dir]);
        const levels = [opsAt(rule.headers)];
        const perRoute = live.map((r) => opsAt(r.headers));
        const has = (test: (ops: Rec) => boolean): boolean =>
          levels.some(test) || (perRoute.length > 0 && perRoute.every(test));
        for (const [name, value] of Object.entries(want.set ?? {})) {
          const sets = (ops: Rec): boolean =>
            [ops.set, ops.add].some((m) =>
              Object.entries(strMap(m)).some(([k, v]) => k.toLowerCase() === name.toLowerCase() && v === value),
            );
          if (!has(sets)) wrong.push(`${dir} header ${name}: ${value} is not set`);
        }
        for (const name of want.remove ?? []) {
          const removes = (ops: Rec): boolean => strs(ops.remove).some((k) => k.toLowerCase() === name.toLowerCase());
          if (!has(removes)) wrong.push(`${dir} header ${name} is not removed`);
        }
      }
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.headers`, rule.headers)];
      if (wrong.length > 0) return fail(`${ruleLocation(ctx.rule)}: ${wrong.join("; ")}`, evidence);
      return pass(`${ruleLocation(ctx.rule)} manipulates headers as expected`, evidence);
    });
  },
});

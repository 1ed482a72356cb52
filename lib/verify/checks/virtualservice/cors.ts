// virtualservice.cors: the corsPolicy of the rule a request hits.
import { z } from "zod";
import { isSameDuration } from "../../../istio/duration";
import { arr, bool, isRec, show, strs } from "../../../istio/fields";
import { matchesString } from "../../../istio/http-match";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZDurationParam } from "../common";
import { routeKinds, ruleLocation, withMatchedRule, ZRouteTarget, ZStringList } from "./context";

export const virtualServiceCors = defineCheck({
  name: "virtualservice.cors",
  description:
    "The corsPolicy of the rule a request hits: every listed origin is allowed by allowOrigins (exact/prefix/regex, or the old allowOrigin list), listed methods and headers are present (case-insensitive), maxAge compares by value.",
  params: ZRouteTarget.extend({
    allowOrigins: ZStringList.optional().describe("origins that must be allowed, e.g. https://example.com"),
    notAllowedOrigins: ZStringList.optional().describe(
      "origins that must not be allowed (a wildcard that lets them in fails)",
    ),
    allowMethods: ZStringList.optional(),
    allowHeaders: ZStringList.optional(),
    exposeHeaders: ZStringList.optional(),
    maxAge: ZDurationParam.optional(),
    allowCredentials: z.boolean().optional(),
  }).strict(),
  example: {
    host: "reviews",
    namespace: "shop",
    allowOrigins: ["https://example.com"],
    allowMethods: ["GET", "POST"],
    maxAge: "24h",
  },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const cors = ctx.rule.rule.corsPolicy;
      const at = ruleLocation(ctx.rule, "corsPolicy");
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.corsPolicy`, cors)];
      if (!isRec(cors)) return fail(`${at} is unset`, evidence);
      const wrong: string[] = [];
      // Envoy allows any origin when a matcher also matches the text "*".
      const isAllowed = (origin: string): boolean =>
        arr(cors.allowOrigins).some((m) => matchesString(m, origin) || matchesString(m, "*")) ||
        strs(cors.allowOrigin).some((o) => o === origin || o === "*");
      const origins = show(cors.allowOrigins ?? cors.allowOrigin);
      for (const origin of p.allowOrigins ?? []) {
        if (!isAllowed(origin)) wrong.push(`origin ${origin} is not allowed by allowOrigins ${origins}`);
      }
      for (const origin of p.notAllowedOrigins ?? []) {
        if (isAllowed(origin)) wrong.push(`origin ${origin} is allowed by allowOrigins ${origins}, but must not be`);
      }
      const lists = [
        ["allowMethods", p.allowMethods],
        ["allowHeaders", p.allowHeaders],
        ["exposeHeaders", p.exposeHeaders],
      ] as const;
      for (const [field, want] of lists) {
        const have = strs(cors[field]).map((s) => s.toLowerCase());
        const missing = (want ?? []).filter((w) => !have.includes(w.toLowerCase()) && !have.includes("*"));
        if (missing.length > 0) wrong.push(`${field} ${show(cors[field])} lacks ${listText(missing)}`);
      }
      if (p.maxAge !== undefined && !isSameDuration(cors.maxAge, p.maxAge))
        wrong.push(`maxAge is ${show(cors.maxAge)}, expected ${p.maxAge}`);
      if (p.allowCredentials !== undefined && (bool(cors.allowCredentials) ?? false) !== p.allowCredentials) {
        wrong.push(`allowCredentials is ${show(cors.allowCredentials)}, expected ${p.allowCredentials}`);
      }
      if (wrong.length > 0) return fail(`${at}: ${wrong.join("; ")}`, evidence);
      return pass(`${ruleLocation(ctx.rule)} has corsPolicy ${show(cors)}`, evidence);
    });
  },
});

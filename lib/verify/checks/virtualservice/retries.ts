// virtualservice.retries: the retry policy of the rule a request hits.
import { isSameDuration } from "../../../istio/duration";
import { isRec, num, show, str } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZDurationParam, ZInt } from "../common";
import { routeKinds, ruleLocation, withMatchedRule, ZRouteTarget, ZStringList } from "./context";

const ISTIO_DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

export const virtualServiceRetries = defineCheck({
  name: "virtualservice.retries",
  description:
    "The retry policy of the rule a request hits. retryOn passes when it contains every listed condition (order and extra conditions do not matter; unset means Istio's default conditions); retries without attempts (or attempts 0) are disabled, as in Istio; durations compare by value.",
  params: ZRouteTarget.extend({
    attempts: ZInt.optional(),
    perTryTimeout: ZDurationParam.optional(),
    retryOn: ZStringList.optional().describe(
      "conditions that must be in retryOn, as a list or a comma-separated string",
    ),
  }).strict(),
  example: { host: "reviews", namespace: "shop", attempts: 3, perTryTimeout: "2s", retryOn: "5xx,connect-failure" },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const retries = ctx.rule.rule.retries;
      const vs = ctx.rule.vs;
      const at = ruleLocation(ctx.rule, "retries");
      if (!isRec(retries)) {
        return fail(`${at} is unset (Istio's default: 2 attempts on ${ISTIO_DEFAULT_RETRY_ON})`, [
          evidenceOf(vs, `${ctx.path}.retries`),
        ]);
      }
      const evidence = [evidenceOf(vs, `${ctx.path}.retries`, retries)];
      // Istio: retries without attempts (or attempts <= 0) disable retrying altogether.
      const attempts = Math.max(num(retries.attempts) ?? 0, 0);
      if (attempts === 0 && (p.attempts ?? 1) !== 0) {
        return fail(
          `${ruleLocation(ctx.rule, "retries.attempts")} is ${show(retries.attempts)}, so Istio disables retries${p.attempts !== undefined ? `, expected ${p.attempts}` : ""}`,
          evidence,
        );
      }
      if (attempts === 0)
        return pass(`${ruleLocation(ctx.rule)} disables retries (attempts ${show(retries.attempts)})`, evidence);
      const wrong: string[] = [];
      if (p.attempts !== undefined && attempts !== p.attempts)
        wrong.push(`attempts is ${show(retries.attempts)}, expected ${p.attempts}`);
      if (p.perTryTimeout !== undefined && !isSameDuration(retries.perTryTimeout, p.perTryTimeout)) {
        wrong.push(`perTryTimeout is ${show(retries.perTryTimeout)}, expected ${p.perTryTimeout}`);
      }
      if (p.retryOn !== undefined) {
        const want = p.retryOn
          .flatMap((s) => s.split(","))
          .map((s) => s.trim())
          .filter(Boolean);
        // An unset retryOn keeps Istio's default conditions.
        const have = (str(retries.retryOn) || ISTIO_DEFAULT_RETRY_ON).split(",").map((s) => s.trim());
        const missing = want.filter((w) => !have.includes(w));
        if (missing.length > 0) {
          const shown = str(retries.retryOn)
            ? show(retries.retryOn)
            : `unset (Istio's default: ${ISTIO_DEFAULT_RETRY_ON})`;
          wrong.push(`retryOn is ${shown}, missing ${listText(missing)}`);
        }
      }
      if (wrong.length > 0) return fail(`${at}: ${wrong.join("; ")}`, evidence);
      return pass(`${ruleLocation(ctx.rule)} retries ${show(retries)}`, evidence);
    });
  },
});

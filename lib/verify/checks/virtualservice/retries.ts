// virtualservice.retries: the retry policy of the rule a request hits.
import { isSameDuration } from "../../../istio/duration";
import { isRec, num, show, str } from "../../../istio/fields";
import { ISTIO_DEFAULT_RETRY_ON, retries as isRetried, parseRetryOn } from "../../../istio/routing";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZDurationParam, ZInt } from "../common";
import { routeKinds, ruleLocation, withMatchedRule, ZRouteTarget, ZStringList } from "./context";

const items = (list: string[] | undefined): string[] =>
  (list ?? [])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);

export const virtualServiceRetries = defineCheck({
  name: "virtualservice.retries",
  description:
    "The retry policy of the rule a request hits. retryOn is graded by meaning: each listed status or condition must be retried (a number such as 500 is a retriable status code, and `5xx` retries it too; `gateway-error` is 502/503/504; `5xx`, `gateway-error` and `reset` also retry connect failures; unset means Istio's default, which retries 503 and connect failures; retries left unset are Istio's default policy, 2 attempts); notRetriedOn lists what must not be retried. Retries without attempts (or attempts 0) are disabled, as in Istio; durations compare by value.",
  params: ZRouteTarget.extend({
    attempts: ZInt.optional(),
    perTryTimeout: ZDurationParam.optional(),
    retryOn: ZStringList.optional().describe(
      "statuses (500) or conditions (5xx, connect-failure) that must be retried, as a list or a comma-separated string",
    ),
    notRetriedOn: ZStringList.optional().describe("statuses or conditions that must not be retried"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", attempts: 3, perTryTimeout: "2s", retryOn: "5xx,connect-failure" },
  kinds: routeKinds,
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const retries = ctx.rule.rule.retries;
      const vs = ctx.rule.vs;
      const at = ruleLocation(ctx.rule, "retries");
      if (!isRec(retries)) {
        // Istio's default policy: 2 attempts on its default conditions (503 among them), no per-try timeout.
        const unset = `${at} is unset (Istio's default: 2 attempts on ${ISTIO_DEFAULT_RETRY_ON} with status 503)`;
        const evidence = [evidenceOf(vs, `${ctx.path}.retries`)];
        const policy = parseRetryOn(undefined);
        const wrong = [
          ...(p.attempts !== undefined && p.attempts !== 2 ? [`expected ${p.attempts} attempts`] : []),
          ...(p.perTryTimeout !== undefined ? [`expected perTryTimeout ${p.perTryTimeout}`] : []),
          ...items(p.retryOn)
            .filter((w) => !isRetried(policy, w))
            .map((w) => `which does not retry ${w}`),
          ...items(p.notRetriedOn)
            .filter((w) => isRetried(policy, w))
            .map((w) => `which also retries ${w}`),
        ];
        if (wrong.length > 0) return fail(`${unset}, ${wrong.join("; ")}`, evidence);
        return pass(`${ruleLocation(ctx.rule)} keeps Istio's default retries, which do what is asked`, evidence);
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
      // An unset retryOn keeps Istio's default conditions (and retries 503).
      const policy = parseRetryOn(str(retries.retryOn));
      const shown = str(retries.retryOn)
        ? show(retries.retryOn)
        : `unset (Istio's default: ${ISTIO_DEFAULT_RETRY_ON} with status 503)`;
      const missing = items(p.retryOn).filter((w) => !isRetried(policy, w));
      if (missing.length > 0) wrong.push(`retryOn is ${shown}, which does not retry ${listText(missing)}`);
      const extra = items(p.notRetriedOn).filter((w) => isRetried(policy, w));
      if (extra.length > 0) wrong.push(`retryOn is ${shown}, which also retries ${listText(extra)}`);
      if (wrong.length > 0) return fail(`${at}: ${wrong.join("; ")}`, evidence);
      return pass(`${ruleLocation(ctx.rule)} retries ${show(retries)}`, evidence);
    });
  },
});

// traffic.fault: requests sent from the prober; how many were delayed (by their time) or aborted
// (by the status and Envoy's "fault filter abort" body), against the fault's percentage.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { ProbeAnswer } from "../../../cluster/types";
import { parseDuration } from "../../../istio/duration";
import { type CheckOutcome, defineCheck } from "../../types";
import { fail, pass, ZDurationParam, ZInt, ZPercent } from "../common";
import { describeAnswers, isShareWithin, percentOf, requestOf, send, targetUrl, ZTarget } from "./context";

const params = z
  .object({
    ...ZTarget,
    delay: z
      .object({ fixedDelay: ZDurationParam, percent: ZPercent.default(100) })
      .strict()
      .optional()
      .describe("the delay every delayed request must take at least"),
    abort: z
      .object({ httpStatus: ZInt.pipe(z.number().min(200).max(599)), percent: ZPercent.default(100) })
      .strict()
      .optional()
      .describe("the status aborted requests get from the sidecar"),
    count: ZInt.pipe(z.number().min(1).max(500))
      .optional()
      .describe("requests to send; default 2 for a delay, 100 for an abort"),
    tolerance: ZPercent.default(10).describe(
      "points an observed share may differ from `percent` (0% and 100% are exact)",
    ),
  })
  .strict()
  .refine((p) => (p.delay === undefined) !== (p.abort === undefined), "name either `delay` or `abort`");

type Params = z.infer<typeof params>;

/** Envoy's body for an injected abort, which tells it from the application's own error. */
const ABORT_BODY = "fault filter abort";

/** Pure: the share of answers delayed (time ≥ fixedDelay) or aborted (the status with Envoy's body). */
export function judgeFault(
  x: Pick<Params, "delay" | "abort" | "tolerance"> & { target: string },
  answers: readonly ProbeAnswer[],
): CheckOutcome {
  if (answers.length === 0) return fail(`no request was answered ${x.target}`);
  const head = `${answers.length} requests ${x.target} from the prober`;
  if (x.delay) {
    const seconds = (parseDuration(x.delay.fixedDelay) ?? 0) / 1000;
    const delayed = answers.filter((a) => a.status !== 0 && a.seconds >= seconds - 0.05).length;
    const share = percentOf(delayed, answers.length);
    const times = answers.map((a) => `${a.seconds.toFixed(2)} s`).join(", ");
    const seen = `${head}: ${delayed} took ${seconds} s or more (${share}%; times ${times}; statuses ${describeAnswers(answers)})`;
    if (isShareWithin(share, x.delay.percent, x.tolerance)) return pass(seen);
    return fail(`${seen}, expected ${x.delay.percent}% delayed by ${x.delay.fixedDelay} ± ${x.tolerance} points`);
  }
  const abort = x.abort ?? { httpStatus: 0, percent: 0 };
  const aborted = answers.filter((a) => a.status === abort.httpStatus && a.body.includes(ABORT_BODY)).length;
  const share = percentOf(aborted, answers.length);
  const seen = `${head}: ${aborted} aborted by the sidecar with ${abort.httpStatus} (${share}%; statuses ${describeAnswers(answers)})`;
  if (isShareWithin(share, abort.percent, x.tolerance)) return pass(seen);
  return fail(`${seen}, expected ${abort.percent}% aborted with ${abort.httpStatus} ± ${x.tolerance} points`);
}

export const trafficFault = defineCheck({
  name: "traffic.fault",
  description:
    "Sends requests (with the given headers, e.g. the test user's) from the prober pod through the mesh and counts the faults Envoy injected: a delay by the request's time (at least `fixedDelay`), an abort by its status with Envoy's `fault filter abort` body (so the application's own 503 does not count). The share must be `percent` within `tolerance` points; 0% and 100% are exact. Skipped where no data plane runs (lite, files).",
  params,
  example: { host: "reviews", namespace: "shop", headers: { "end-user": "jason" }, delay: { fixedDelay: "7s" } },
  kinds: [K.service],
  requires: ["traffic"],
  async run(p, ctx) {
    const target = targetUrl(p, ctx.snapshot);
    if ("missing" in target) return fail(target.missing);
    const delaySeconds = p.delay ? (parseDuration(p.delay.fixedDelay) ?? 0) / 1000 : 0;
    const count = p.count ?? (p.delay ? 2 : 100);
    const answers = await send(ctx, requestOf(p, target.url, count, Math.ceil(delaySeconds) + 5));
    return judgeFault({ ...p, target: `to ${target.text}` }, answers);
  },
});

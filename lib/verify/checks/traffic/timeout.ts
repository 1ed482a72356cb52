// traffic.timeout: a request to a slow path, sent from the prober, is cut by the sidecar with
// 504 within the timeout (Envoy's "upstream request timeout").
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { ProbeAnswer } from "../../../cluster/types";
import { parseDuration } from "../../../istio/duration";
import { type CheckOutcome, defineCheck } from "../../types";
import { fail, pass, ZDurationParam, ZInt, ZNumber } from "../common";
import { requestOf, send, targetUrl, ZTarget } from "./context";

const params = z
  .object({
    ...ZTarget,
    timeout: ZDurationParam.describe("the longest a request may take before the sidecar answers 504"),
    toleranceSeconds: ZNumber.pipe(z.number().min(0)).default(1).describe("seconds a 504 may come after `timeout`"),
    count: ZInt.pipe(z.number().min(1).max(10)).default(1).describe("requests to send"),
  })
  .strict();

/** Pure: every answer is a 504 that came within timeout + tolerance. */
export function judgeTimeout(
  x: { timeout: string; toleranceSeconds: number; target: string },
  answers: readonly ProbeAnswer[],
): CheckOutcome {
  const limit = (parseDuration(x.timeout) ?? 0) / 1000 + x.toleranceSeconds;
  const seen = answers.map((a) =>
    a.status === 0
      ? `no answer after ${a.seconds.toFixed(2)} s (curl exit ${a.curlExit})`
      : `${a.status} after ${a.seconds.toFixed(2)} s`,
  );
  const head = `${answers.length} request(s) ${x.target} from the prober: ${seen.join(", ") || "none sent"}`;
  const isCut = (a: ProbeAnswer) => a.status === 504 && a.seconds <= limit;
  if (answers.length > 0 && answers.every(isCut)) return pass(`${head} (timeout ${x.timeout})`);
  return fail(
    `${head}; expected 504 within ${x.timeout} (+${x.toleranceSeconds} s): no timeout of ${x.timeout} cut the request`,
  );
}

export const trafficTimeout = defineCheck({
  name: "traffic.timeout",
  description:
    "Sends a request to a path that answers slowly (httpbin's `/delay/10`) from the prober pod through the mesh: the sidecar must cut it with 504 within `timeout` (+`toleranceSeconds`). A per-try timeout that ends the request sooner passes too: the request took no longer than the timeout. Skipped where no data plane runs (lite, files).",
  params,
  example: { host: "httpbin", namespace: "shop", path: "/delay/10", timeout: "5s" },
  kinds: [K.service],
  requires: ["traffic"],
  async run(p, ctx) {
    const target = targetUrl(p, ctx.snapshot);
    if ("missing" in target) return fail(target.missing);
    const seconds = (parseDuration(p.timeout) ?? 0) / 1000;
    const answers = await send(ctx, requestOf(p, target.url, p.count, Math.ceil(seconds + p.toleranceSeconds) + 10));
    return judgeTimeout({ ...p, target: `to ${target.text}` }, answers);
  },
});

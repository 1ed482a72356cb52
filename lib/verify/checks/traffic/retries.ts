// traffic.retries: a request to a path that fails, sent from the prober; the tries that reach the
// service are counted in its sidecar's access log (each try is a line with the request's User-Agent).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { AccessLogEntry } from "../../../istio/access-log";
import { type CheckOutcome, defineCheck } from "../../types";
import { fail, pass, ZInt, ZLabels } from "../common";
import { requestOf, sendAndReadLogs, targetUrl, ZTarget } from "./context";

const params = z
  .object({
    ...ZTarget,
    retries: ZInt.pipe(z.number().min(0).max(20)).describe("retries each request must get (0: not retried)"),
    targetLabels: ZLabels.describe("labels of the service's pods, whose access log shows every try"),
    count: ZInt.pipe(z.number().min(1).max(10)).default(2).describe("requests to send"),
  })
  .strict();

/**
 * Pure: the tries of each request `<userAgent>/<n>` at the service. No line at the service nor at
 * the prober means access logging is off: nothing can be judged (thrown: an error, not a fail).
 */
export function judgeRetries(
  x: { retries: number; sent: number; userAgent: string; target: string },
  atService: readonly AccessLogEntry[],
  atProber: readonly AccessLogEntry[],
): CheckOutcome {
  if (atService.length === 0 && atProber.length === 0)
    throw new Error(
      "no access log line of the probe requests, neither at the prober nor at the service: access logging is off (meshConfig.accessLogFile or a Telemetry), so tries cannot be counted",
    );
  const tries = Array.from({ length: x.sent }, (_, i) =>
    atService.filter((e) => e.userAgent === `${x.userAgent}/${i + 1}`),
  );
  const retried = tries.map((t) => Math.max(0, t.length - 1));
  const statuses = [...new Set(tries.flat().map((e) => e.status))].join(", ");
  const seen = `${x.sent} request(s) ${x.target} from the prober were retried ${retried.join(", ")} time(s) (statuses at the service: ${statuses || "none"})`;
  if (retried.every((n) => n === x.retries)) return pass(seen);
  return fail(`${seen}, expected ${x.retries} retries each`);
}

export const trafficRetries = defineCheck({
  name: "traffic.retries",
  description:
    "Sends requests to a path that fails (httpbin's `/status/500`) from the prober pod through the mesh, then counts each request's tries in the access log of the service's pods (`targetLabels`): a request must be retried exactly `retries` times (0: not retried, as for a status retryOn does not name). Needs access logging on; without it the check errors rather than fails. Skipped where no data plane runs (lite, files).",
  params,
  example: { host: "httpbin", namespace: "shop", path: "/status/500", retries: 3, targetLabels: { app: "httpbin" } },
  kinds: [K.service],
  requires: ["traffic"],
  async run(p, ctx) {
    const target = targetUrl(p, ctx.snapshot);
    if ("missing" in target) return fail(target.missing);
    const request = requestOf(p, target.url, p.count, 30);
    const logs = await sendAndReadLogs(ctx, request, { namespace: p.namespace, labels: p.targetLabels });
    return judgeRetries(
      { retries: p.retries, sent: p.count, userAgent: request.userAgent, target: `to ${target.text}` },
      logs.atTarget,
      logs.atProber,
    );
  },
});

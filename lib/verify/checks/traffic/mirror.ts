// traffic.mirror: requests sent from the prober; the copies Envoy mirrors arrive at the mirror's
// pods, seen in their sidecar's access log (Envoy appends -shadow to a copy's authority).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { type AccessLogEntry, isShadowCopy } from "../../../istio/access-log";
import { type CheckOutcome, defineCheck } from "../../types";
import { fail, pass, ZInt, ZLabels, ZPercent } from "../common";
import { isShareWithin, percentOf, requestOf, sendAndReadLogs, targetUrl, ZTarget } from "./context";

const params = z
  .object({
    ...ZTarget,
    mirrorLabels: ZLabels.describe("labels of the pods the copies must reach (e.g. app: helloworld, version: v2)"),
    mirrorNamespace: z.string().optional().describe("their namespace; default `namespace`"),
    percent: ZPercent.optional().describe("share of requests mirrored; when omitted, any share above 0"),
    count: ZInt.pipe(z.number().min(1).max(500)).default(40).describe("requests to send"),
    tolerance: ZPercent.default(20).describe(
      "points the mirrored share may differ from `percent` (0% and 100% are exact)",
    ),
  })
  .strict();

export interface MirrorExpectation {
  percent?: number;
  tolerance: number;
  sent: number;
  /** the mirror's pods, for messages */
  pods: string;
}

/**
 * Pure: the entries of this run's requests in the mirror pods' access log and in the prober's own.
 * With neither, access logging is off and nothing can be judged (thrown: an error, not a fail).
 */
export function judgeMirror(
  x: MirrorExpectation,
  atMirror: readonly AccessLogEntry[],
  atProber: readonly AccessLogEntry[],
): CheckOutcome {
  if (atMirror.length === 0 && atProber.length === 0)
    throw new Error(
      "no access log line of the probe requests, neither at the prober nor at the mirror: access logging is off (meshConfig.accessLogFile or a Telemetry), so mirrored copies cannot be seen",
    );
  const copies = new Set(atMirror.filter(isShadowCopy).map((e) => e.userAgent)).size;
  const served = atMirror.filter((e) => !isShadowCopy(e)).length;
  const share = percentOf(copies, x.sent);
  const also = served > 0 ? `; ${served} requests were served there as live traffic, not as copies` : "";
  const seen = `${copies} of ${x.sent} requests arrived at ${x.pods} as mirrored copies (${share}%)${also}`;
  const isOk = x.percent === undefined ? copies > 0 : isShareWithin(share, x.percent, x.tolerance);
  if (isOk) return pass(seen);
  const wanted = x.percent === undefined ? "some" : `${x.percent}% ± ${x.tolerance} points`;
  return fail(`${seen}, expected ${wanted}`);
}

export const trafficMirror = defineCheck({
  name: "traffic.mirror",
  description:
    "Sends `count` requests from the prober pod through the mesh, then reads the access log of the pods `mirrorLabels` selects: a mirrored copy is a line of one of these requests whose authority ends in `-shadow`. The share of requests copied must be `percent` within `tolerance` points (any share when omitted). Needs access logging on; without it the check errors rather than fails. Skipped where no data plane runs (lite, files).",
  params,
  example: {
    host: "helloworld",
    namespace: "shop",
    path: "/hello",
    mirrorLabels: { app: "helloworld", version: "v2" },
    percent: 50,
  },
  kinds: [K.service],
  requires: ["traffic"],
  async run(p, ctx) {
    const target = targetUrl(p, ctx.snapshot);
    if ("missing" in target) return fail(target.missing);
    const request = requestOf(p, target.url, p.count, 5);
    const namespace = p.mirrorNamespace ?? p.namespace;
    const logs = await sendAndReadLogs(ctx, request, { namespace, labels: p.mirrorLabels });
    const pods = `pods ${Object.entries(p.mirrorLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",")} in ${namespace}`;
    return judgeMirror(
      { percent: p.percent, tolerance: p.tolerance, sent: p.count, pods },
      logs.atTarget,
      logs.atProber,
    );
  },
});

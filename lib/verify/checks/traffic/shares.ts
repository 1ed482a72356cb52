// traffic.shares: requests sent from the prober through the mesh; which version answered each,
// and whether the shares are the expected ones within a tolerance.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { ProbeAnswer } from "../../../cluster/types";
import { type CheckOutcome, defineCheck } from "../../types";
import { fail, pass, ZInt, ZPercent } from "../common";
import { describeAnswers, isShareWithin, percentOf, requestOf, send, targetUrl, ZTarget } from "./context";

const params = z
  .object({
    ...ZTarget,
    expect: z
      .record(z.string(), ZPercent)
      .describe("percent per answer label (what `versionPattern` captures); labels not named must get 0%"),
    versionPattern: z
      .string()
      .default("version: ?([\\w.-]+)")
      .describe("a regular expression over the response body whose first group names who answered"),
    count: ZInt.pipe(z.number().min(10).max(500)).default(100).describe("requests to send"),
    tolerance: ZPercent.default(10).describe(
      "points an observed share may differ from the expected one (0% and 100% are exact)",
    ),
  })
  .strict();

export interface SharesExpectation {
  expect: Record<string, number>;
  versionPattern: string;
  tolerance: number;
  /** what was sent, for messages */
  target: string;
}

/** Pure: the label of each answer (an error status or no answer is its own label), then the shares. */
export function judgeShares(x: SharesExpectation, answers: readonly ProbeAnswer[]): CheckOutcome {
  const pattern = new RegExp(x.versionPattern);
  const labels = answers.map((a) => {
    if (a.status < 200 || a.status >= 300) return a.status === 0 ? "no answer" : `HTTP ${a.status}`;
    return pattern.exec(a.body)?.[1] ?? "an unrecognised body";
  });
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const keys = [...new Set([...Object.keys(x.expect), ...counts.keys()])];
  const observed = Object.fromEntries(keys.map((k) => [k, percentOf(counts.get(k) ?? 0, answers.length)]));
  const wrong = keys.filter((k) => !isShareWithin(observed[k], x.expect[k] ?? 0, x.tolerance));
  const seen = keys
    .filter((k) => observed[k] > 0)
    .map((k) => `${k} ${observed[k]}%`)
    .join(", ");
  const wanted = Object.entries(x.expect)
    .map(([k, v]) => `${k} ${v}%`)
    .join(", ");
  const head = `${answers.length} requests ${x.target} from the prober: ${seen || "no answer"}`;
  if (answers.length === 0) return fail(`no request was answered ${x.target}`);
  if (wrong.length === 0) return pass(`${head} (expected ${wanted} ± ${x.tolerance} points)`);
  const errors = answers.some((a) => a.status < 200 || a.status >= 300)
    ? `; statuses: ${describeAnswers(answers)}`
    : "";
  return fail(`${head}, expected ${wanted} ± ${x.tolerance} points (off: ${wrong.join(", ")})${errors}`);
}

export const trafficShares = defineCheck({
  name: "traffic.shares",
  description:
    "Sends `count` requests from the prober pod through the mesh and reads who answered each (the first group of `versionPattern` in the body; helloworld answers `Hello version: v1, ...`). Each label's share must be its expected percent within `tolerance` points; 0% and 100% are exact; an error status is a label of its own, so it counts against the shares. Skipped where no data plane runs (lite, files).",
  params,
  example: { host: "helloworld", namespace: "shop", path: "/hello", expect: { v1: 90, v2: 10 } },
  kinds: [K.service],
  requires: ["traffic"],
  async run(p, ctx) {
    const target = targetUrl(p, ctx.snapshot);
    if ("missing" in target) return fail(target.missing);
    const answers = await send(ctx, requestOf(p, target.url, p.count, 5));
    return judgeShares({ ...p, target: `to ${target.text}` }, answers);
  },
});

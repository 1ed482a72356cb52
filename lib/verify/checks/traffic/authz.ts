// traffic.authz: requests from the prober (its own identity, or plain text) denied or allowed by
// the AuthorizationPolicies of the workload: a denial is 403 with Envoy's "RBAC: access denied".
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { ProbeAnswer } from "../../../cluster/types";
import { type CheckOutcome, defineCheck } from "../../types";
import { fail, pass, ZInt } from "../common";
import { describeAnswers, requestOf, send, targetUrl, ZTarget } from "./context";

const params = z
  .object({
    ...ZTarget,
    expect: z.enum(["deny", "allow"]).describe("the decision for the prober's requests"),
    isPlainText: z.boolean().default(false).describe("send from the prober without a sidecar (no identity)"),
    count: ZInt.pipe(z.number().min(1).max(20)).default(3).describe("requests to send"),
  })
  .strict();

const isDenied = (a: ProbeAnswer) => a.status === 403 && a.body.includes("RBAC: access denied");

/** Pure: every answer denied by RBAC (deny), or none denied and every one answered (allow). */
export function judgeAuthz(
  x: { expect: "deny" | "allow"; caller: string; target: string },
  answers: readonly ProbeAnswer[],
): CheckOutcome {
  const seen = `${answers.length} request(s) ${x.target} from ${x.caller}: ${describeAnswers(answers)}`;
  const denied = answers.filter(isDenied).length;
  if (x.expect === "deny") {
    if (answers.length > 0 && denied === answers.length) return pass(`${seen} (RBAC: access denied)`);
    return fail(`${seen}; expected every one denied with 403 "RBAC: access denied"`);
  }
  const answered = answers.filter((a) => a.status !== 0).length;
  if (answers.length > 0 && denied === 0 && answered === answers.length) return pass(`${seen} (allowed)`);
  return fail(`${seen}; expected them allowed${denied > 0 ? `, but ${denied} got 403 "RBAC: access denied"` : ""}`);
}

export const trafficAuthz = defineCheck({
  name: "traffic.authz",
  description:
    "Sends requests from the prober pod (identity `cluster.local/ns/ica-prober/sa/ica-prober`, or with `isPlainText` none) to a workload: `deny` passes when every answer is 403 with Envoy's `RBAC: access denied` body (however the policies are written), `allow` when none is. Skipped where no data plane runs (lite, files).",
  params,
  example: { host: "httpbin", namespace: "shop", path: "/get", expect: "deny" },
  kinds: [K.service],
  requires: ["traffic"],
  async run(p, ctx) {
    const target = targetUrl(p, ctx.snapshot);
    if ("missing" in target) return fail(target.missing);
    const answers = await send(ctx, { ...requestOf(p, target.url, p.count, 5), isPlainText: p.isPlainText });
    const caller = p.isPlainText
      ? "the prober without a sidecar (plain text)"
      : "the prober (cluster.local/ns/ica-prober/sa/ica-prober)";
    return judgeAuthz({ expect: p.expect, caller, target: `to ${target.text}` }, answers);
  },
});

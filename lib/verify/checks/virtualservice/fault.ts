// virtualservice.fault: fault injection on the rule a request hits, and on no other request.
import { z } from "zod";
import { isSameDuration } from "../../../istio/duration";
import { isRec, num, type Rec, rec, show } from "../../../istio/fields";
import { isSamePercent } from "../../../istio/weights";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZDurationParam, ZInt, ZPercent } from "../common";
import {
  findMatchedRule,
  isOutcome,
  requestText,
  routeKinds,
  ruleLocation,
  withMatchedRule,
  ZRequest,
  ZRouteTarget,
} from "./context";

const ZFaultExpect = z.strictObject({
  delay: z
    .strictObject({
      fixedDelay: ZDurationParam.optional(),
      percent: ZPercent.optional().describe("default: any share above 0"),
    })
    .optional(),
  abort: z
    .strictObject({ httpStatus: ZInt.optional(), percent: ZPercent.optional().describe("default: any share above 0") })
    .optional(),
});

/** Share a fault applies to: percentage.value, the old integer `percent`, else 0 (Istio injects into no request). */
function faultPercent(f: Rec): { percent: number; written: unknown; field: string } {
  if (f.percentage !== undefined)
    return { percent: num(rec(f.percentage).value) ?? 0, written: rec(f.percentage).value, field: "percentage.value" };
  if (f.percent !== undefined) return { percent: num(f.percent) ?? 0, written: f.percent, field: "percent" };
  return { percent: 0, written: undefined, field: "percentage" };
}

export const virtualServiceFault = defineCheck({
  name: "virtualservice.fault",
  description:
    "Fault injection on the rule a request hits (delay and/or abort, with percentage). Scope it to one user with `request` and check others are spared with `unaffectedRequest`. An unset percentage injects into no request.",
  params: ZRouteTarget.extend({
    ...ZFaultExpect.shape,
    unaffectedRequest: ZRequest.optional().describe("a request that must not get this fault (e.g. another user)"),
  })
    .strict()
    .refine((p) => p.delay !== undefined || p.abort !== undefined, "expect a delay, an abort, or both"),
  example: {
    host: "ratings",
    namespace: "shop",
    request: { headers: { "end-user": "jason" } },
    delay: { fixedDelay: "7s", percent: 100 },
    unaffectedRequest: { headers: { "end-user": "bob" } },
  },
  kinds: routeKinds,
  run(p, { snapshot }) {
    const affected = withMatchedRule(p, snapshot, (ctx) => {
      const fault = rec(ctx.rule.rule.fault);
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.fault`, ctx.rule.rule.fault)];
      const wrong: string[] = [];
      for (const kind of ["delay", "abort"] as const) {
        const want = p[kind];
        if (!want) continue;
        const got = fault[kind];
        if (!isRec(got)) {
          wrong.push(`${kind} is unset`);
          continue;
        }
        if (
          kind === "delay" &&
          p.delay?.fixedDelay !== undefined &&
          !isSameDuration(got.fixedDelay, p.delay.fixedDelay)
        ) {
          wrong.push(`delay.fixedDelay is ${show(got.fixedDelay)}, expected ${p.delay.fixedDelay}`);
        }
        if (kind === "abort" && p.abort?.httpStatus !== undefined && num(got.httpStatus) !== p.abort.httpStatus) {
          wrong.push(`abort.httpStatus is ${show(got.httpStatus)}, expected ${p.abort.httpStatus}`);
        }
        const share = faultPercent(got);
        if (want.percent !== undefined ? !isSamePercent(share.percent, want.percent) : share.percent <= 0) {
          const written =
            share.written === undefined ? "unset (Istio then injects into no request)" : show(share.written);
          wrong.push(`${kind}.${share.field} is ${written}, expected ${want.percent ?? "a share above 0"}`);
        }
      }
      if (wrong.length > 0) return fail(`${ruleLocation(ctx.rule, "fault")}: ${wrong.join("; ")}`, evidence);
      return pass(`${ruleLocation(ctx.rule)} injects ${show(ctx.rule.rule.fault)}`, evidence);
    });
    if (affected.status === "fail" || !p.unaffectedRequest) return affected;
    // A request that hits no rule gets no fault either.
    const other = findMatchedRule({ ...p, request: p.unaffectedRequest }, snapshot);
    if (!isOutcome(other)) {
      const fault = rec(other.rule.rule.fault);
      const hit = (["delay", "abort"] as const).filter(
        (k) => p[k] && isRec(fault[k]) && faultPercent(rec(fault[k])).percent > 0,
      );
      if (hit.length > 0) {
        return fail(
          `${ruleLocation(other.rule)} also injects the ${listText(hit)} into ${requestText(p.unaffectedRequest)}, which should be spared`,
          [evidenceOf(other.rule.vs, `${other.path}.fault`, other.rule.rule.fault)],
        );
      }
    }
    return { ...affected, message: `${affected.message}; ${requestText(p.unaffectedRequest)} is spared` };
  },
});

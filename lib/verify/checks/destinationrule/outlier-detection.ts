// destinationrule.outlier-detection: ejection of failing endpoints, Envoy's defaults for omitted fields.
import { isRec, num, type Rec } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { fail, pass, ZDurationParam } from "../common";
import { compareFields, drKinds, policyText, withPolicyField, ZCount, ZPolicyTarget } from "./context";

/**
 * What an omitted outlierDetection field means (pilot's applyOutlierDetection leaves Envoy's
 * defaults): 5 consecutive 5xx, a 10s sweep, 30s ejection, at most 10% ejected (0 is proto3's
 * unset, so also 10%); gateway errors are not enforced (0) and the panic threshold is 0%.
 */
const OUTLIER_DEFAULTS: Record<string, unknown> = {
  consecutive5xxErrors: 5,
  interval: "10s",
  baseEjectionTime: "30s",
  maxEjectionPercent: 10,
  minHealthPercent: 0,
  consecutiveGatewayErrors: 0,
};

function withOutlierDefaults(od: Rec): Rec {
  const out: Rec = { ...od };
  for (const [k, v] of Object.entries(OUTLIER_DEFAULTS)) if (out[k] === undefined) out[k] = v;
  if (num(out.maxEjectionPercent) === 0) out.maxEjectionPercent = OUTLIER_DEFAULTS.maxEjectionPercent;
  return out;
}

export const destinationRuleOutlierDetection = defineCheck({
  name: "destinationrule.outlier-detection",
  description:
    "Ejection of failing endpoints in `trafficPolicy.outlierDetection` for the host, a subset or a port; durations compare by value. An omitted field takes Istio's/Envoy's default (consecutive5xxErrors 5, interval 10s, baseEjectionTime 30s, maxEjectionPercent 10, minHealthPercent 0, consecutiveGatewayErrors 0 = off).",
  params: ZPolicyTarget.extend({
    consecutive5xxErrors: ZCount.optional(),
    consecutiveGatewayErrors: ZCount.optional(),
    consecutiveLocalOriginFailures: ZCount.optional(),
    interval: ZDurationParam.optional(),
    baseEjectionTime: ZDurationParam.optional(),
    maxEjectionPercent: ZCount.optional(),
    minHealthPercent: ZCount.optional(),
  }).strict(),
  example: {
    host: "reviews",
    namespace: "shop",
    consecutive5xxErrors: 1,
    interval: "1s",
    baseEjectionTime: "3m",
    maxEjectionPercent: 100,
  },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withPolicyField(p, snapshot, "outlierDetection", ({ value, where, evidence }) => {
      if (!isRec(value)) return fail(`${where} is unset`, evidence);
      const expected = {
        consecutive5xxErrors: p.consecutive5xxErrors,
        consecutiveGatewayErrors: p.consecutiveGatewayErrors,
        consecutiveLocalOriginFailures: p.consecutiveLocalOriginFailures,
        interval: p.interval,
        baseEjectionTime: p.baseEjectionTime,
        maxEjectionPercent: p.maxEjectionPercent,
        minHealthPercent: p.minHealthPercent,
      };
      const wrong = compareFields(withOutlierDefaults(value), expected, "", value);
      if (wrong.length > 0) return fail(`${where}: ${wrong.join("; ")}`, evidence);
      return pass(`${where} sets ${policyText(value)}`, evidence);
    });
  },
});

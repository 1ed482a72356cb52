// destinationrule.locality-failover: localityLbSetting fails over, and outlier detection lets it.
import { z } from "zod";
import { arr, isRec, rec, show } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { fail, pass } from "../common";
import { drKinds, policyField, withPolicyField, ZPolicyTarget } from "./context";

/** `from "us-east" to "us-west", ...`, or `none`. */
function failoverText(failover: Record<string, unknown>[]): string {
  return failover.length > 0 ? failover.map((f) => `from ${show(f.from)} to ${show(f.to)}`).join(", ") : "none";
}

export const destinationRuleLocalityFailover = defineCheck({
  name: "destinationrule.locality-failover",
  description:
    "Locality failover: `loadBalancer.localityLbSetting` has failover (from → to) or failoverPriority and is not disabled, and outlierDetection is set (Istio fails over only with outlier detection).",
  params: ZPolicyTarget.extend({
    failover: z.array(z.strictObject({ from: z.string().min(1), to: z.string().min(1) })).optional(),
    failoverPriority: z.array(z.string().min(1)).optional().describe("labels in order"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", failover: [{ from: "us-east", to: "us-west" }] },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withPolicyField(p, snapshot, "loadBalancer", (lb, dr) => {
      const outlier = policyField(dr, "outlierDetection", p);
      const where = `${lb.where}.localityLbSetting`;
      const setting = rec(rec(lb.value).localityLbSetting);
      const evidence = [...lb.evidence, ...outlier.evidence];
      const wrong: string[] = [];
      if (setting.enabled === false) wrong.push("enabled is false");
      const failover = arr(setting.failover).map(rec);
      const priority = arr(setting.failoverPriority).map(String);
      if (
        p.failover === undefined &&
        p.failoverPriority === undefined &&
        failover.length === 0 &&
        priority.length === 0
      )
        wrong.push("has neither failover nor failoverPriority");
      for (const f of p.failover ?? []) {
        if (!failover.some((x) => x.from === f.from && x.to === f.to))
          wrong.push(`failover lacks from ${f.from} to ${f.to} (has ${failoverText(failover)})`);
      }
      if (p.failoverPriority !== undefined && p.failoverPriority.join(",") !== priority.join(",")) {
        wrong.push(`failoverPriority is ${show(setting.failoverPriority)}, expected ${show(p.failoverPriority)}`);
      }
      if (!isRec(outlier.value)) wrong.push(`${outlier.where} is unset, so Istio never fails over`);
      if (wrong.length > 0) return fail(`${where}: ${wrong.join("; ")}`, evidence);
      return pass(
        `${where} fails over ${failover.length > 0 ? failoverText(failover) : `by ${priority.join(", ")}`} with ${outlier.where} set`,
        evidence,
      );
    });
  },
});

// destinationrule.load-balancer: the load-balancing algorithm a client gets for a host, subset or port.
import { z } from "zod";
import { isRec, rec, show, str } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { fail, pass } from "../common";
import { drKinds, withPolicyField, ZPolicyTarget } from "./context";

// Istio's default algorithm (no loadBalancer, no simple, or UNSPECIFIED) is LEAST_REQUEST.
const LB_ALIASES: Record<string, string> = { LEAST_CONN: "LEAST_REQUEST", UNSPECIFIED: "LEAST_REQUEST" };
const lbName = (v: string): string => LB_ALIASES[v] ?? v;

export const destinationRuleLoadBalancer = defineCheck({
  name: "destinationrule.load-balancer",
  description:
    "The load-balancing algorithm (`loadBalancer.simple`) a client gets for the host, or for one subset/port (a subset's or port's own policy overrides the top level). LEAST_CONN counts as LEAST_REQUEST, and so does an unset algorithm (Istio's default).",
  params: ZPolicyTarget.extend({
    simple: z.enum(["ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "UNSPECIFIED"]),
  }).strict(),
  example: { host: "reviews", namespace: "shop", simple: "ROUND_ROBIN" },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withPolicyField(p, snapshot, "loadBalancer", ({ value, where, evidence }) => {
      const isDefault = lbName(p.simple) === lbName("UNSPECIFIED");
      if (!isRec(value)) {
        if (isDefault) return pass(`${where} is unset: Istio's default, LEAST_REQUEST`, evidence);
        return fail(`${where} is unset (Istio's default is LEAST_REQUEST), expected simple: ${p.simple}`, evidence);
      }
      const lb = rec(value);
      if (isRec(lb.consistentHash)) return fail(`${where} uses consistentHash, expected simple: ${p.simple}`, evidence);
      if (lbName(str(lb.simple) ?? "UNSPECIFIED") !== lbName(p.simple)) {
        const written = lb.simple === undefined ? "unset (Istio's default is LEAST_REQUEST)" : show(lb.simple);
        return fail(`${where}.simple is ${written}, expected ${p.simple}`, evidence);
      }
      return pass(`${where}.simple is ${show(lb.simple ?? "LEAST_REQUEST (default)")}`, evidence);
    });
  },
});

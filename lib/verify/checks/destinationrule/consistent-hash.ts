// destinationrule.consistent-hash: sticky sessions through loadBalancer.consistentHash.
import { z } from "zod";
import { isSameDuration } from "../../../istio/duration";
import { isRec, rec, show, str } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { fail, listText, pass, ZDurationParam } from "../common";
import { drKinds, policyText, withPolicyField, ZPolicyTarget } from "./context";

const HASH_KEYS = ["httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName"] as const;

export const destinationRuleConsistentHash = defineCheck({
  name: "destinationrule.consistent-hash",
  description:
    "Sticky sessions: `loadBalancer.consistentHash` sets exactly one hash key (httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName), optionally with the given header/cookie/parameter name and cookie ttl.",
  params: ZPolicyTarget.extend({
    key: z.enum(HASH_KEYS),
    value: z
      .string()
      .min(1)
      .optional()
      .describe("header, cookie or query parameter name (header names are case-insensitive)"),
    ttl: ZDurationParam.optional().describe("httpCookie.ttl"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", key: "httpHeaderName", value: "x-user" },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withPolicyField(p, snapshot, "loadBalancer", (lb) => {
      const where = `${lb.where}.consistentHash`;
      const { evidence } = lb;
      const hash = rec(lb.value).consistentHash;
      if (!isRec(hash)) return fail(`${where} is unset, expected ${p.key}`, evidence);
      // The CRD's oneOf: loadBalancer takes simple or consistentHash, and the API server refuses both.
      if (rec(lb.value).simple !== undefined)
        return fail(
          `${lb.where} sets both simple and consistentHash; it takes one of them, so the API server refuses the object`,
          evidence,
        );
      const set = HASH_KEYS.filter((k) => hash[k] !== undefined && hash[k] !== false);
      if (set.length !== 1)
        return fail(
          `${where} sets ${set.length === 0 ? "no hash key" : listText(set)}; it needs exactly one (${p.key})`,
          evidence,
        );
      if (set[0] !== p.key) return fail(`${where} hashes on ${set[0]}, expected ${p.key}`, evidence);
      const v = hash[p.key];
      if (p.value !== undefined) {
        const actual = p.key === "httpCookie" ? str(rec(v).name) : str(v);
        const same = p.key === "httpHeaderName" ? actual?.toLowerCase() === p.value.toLowerCase() : actual === p.value;
        if (!same)
          return fail(
            `${where}.${p.key}${p.key === "httpCookie" ? ".name" : ""} is ${show(actual)}, expected ${JSON.stringify(p.value)}`,
            evidence,
          );
      }
      if (p.ttl !== undefined && !isSameDuration(rec(v).ttl, p.ttl))
        return fail(`${where}.httpCookie.ttl is ${show(rec(v).ttl)}, expected ${p.ttl}`, evidence);
      return pass(`${where} hashes on ${policyText(v, p.key)}`, evidence);
    });
  },
});

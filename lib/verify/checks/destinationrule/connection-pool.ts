// destinationrule.connection-pool: circuit-breaker limits for a host, subset or port.
import { z } from "zod";
import { isRec, rec } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { fail, pass, ZDurationParam } from "../common";
import { compareFields, drKinds, policyText, withPolicyField, ZCount, ZPolicyTarget } from "./context";

export const destinationRuleConnectionPool = defineCheck({
  name: "destinationrule.connection-pool",
  description:
    "Circuit-breaker limits in `trafficPolicy.connectionPool` (tcp and http fields) for the host, a subset or a port.",
  params: ZPolicyTarget.extend({
    tcp: z
      .strictObject({
        maxConnections: ZCount.optional(),
        connectTimeout: ZDurationParam.optional(),
        maxConnectionDuration: ZDurationParam.optional(),
        idleTimeout: ZDurationParam.optional(),
      })
      .optional(),
    http: z
      .strictObject({
        http1MaxPendingRequests: ZCount.optional(),
        http2MaxRequests: ZCount.optional(),
        maxRequestsPerConnection: ZCount.optional(),
        maxRetries: ZCount.optional(),
        maxConcurrentStreams: ZCount.optional(),
        idleTimeout: ZDurationParam.optional(),
        h2UpgradePolicy: z.enum(["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"]).optional(),
      })
      .optional(),
  })
    .strict()
    .refine((p) => p.tcp !== undefined || p.http !== undefined, "expect tcp, http or both"),
  example: {
    host: "reviews",
    namespace: "shop",
    tcp: { maxConnections: 1 },
    http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
  },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withPolicyField(p, snapshot, "connectionPool", ({ value, where, evidence }) => {
      if (!isRec(value)) return fail(`${where} is unset`, evidence);
      const wrong = [
        ...compareFields(rec(value.tcp), p.tcp ?? {}, "tcp."),
        ...compareFields(rec(value.http), p.http ?? {}, "http."),
      ];
      if (wrong.length > 0) return fail(`${where}: ${wrong.join("; ")}`, evidence);
      return pass(`${where} sets ${policyText(value)}`, evidence);
    });
  },
});

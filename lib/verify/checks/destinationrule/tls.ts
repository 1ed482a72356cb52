// destinationrule.tls: the client-side TLS a sidecar uses to a host, subset or port.
import { z } from "zod";
import { isRec, rec } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { fail, pass } from "../common";
import { compareFields, drKinds, withPolicyField, ZPolicyTarget } from "./context";

export const destinationRuleTls = defineCheck({
  name: "destinationrule.tls",
  description:
    "The client-side TLS a sidecar uses to the host (`trafficPolicy.tls`): mode, and optionally sni and credentialName.",
  params: ZPolicyTarget.extend({
    mode: z.enum(["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"]),
    sni: z.string().min(1).optional(),
    credentialName: z.string().min(1).optional(),
  }).strict(),
  example: { host: "httpbin.org", namespace: "shop", mode: "SIMPLE" },
  kinds: drKinds,
  run(p, { snapshot }) {
    return withPolicyField(p, snapshot, "tls", ({ value, where, evidence }) => {
      if (!isRec(value))
        return fail(
          `${where} is unset (sidecars use ISTIO_MUTUAL automatically when auto mTLS is on), expected mode ${p.mode}`,
          evidence,
        );
      const wrong = compareFields(rec(value), { mode: p.mode, sni: p.sni, credentialName: p.credentialName }, "");
      if (wrong.length > 0) return fail(`${where}: ${wrong.join("; ")}`, evidence);
      return pass(`${where}.mode is ${p.mode}`, evidence);
    });
  },
});

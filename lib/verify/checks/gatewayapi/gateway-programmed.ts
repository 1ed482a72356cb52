// gatewayapi.gateway-programmed: istiod has deployed and configured a Gateway API Gateway.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, rec, show, str } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";

export const gatewayApiGatewayProgrammed = defineCheck({
  name: "gatewayapi.gateway-programmed",
  description:
    "A Gateway API Gateway has status condition Programmed=True (istiod has deployed and configured it). Needs a running control plane.",
  params: z.strictObject({ namespace: ZNamespace, name: z.string().min(1) }),
  example: { namespace: "shop", name: "gateway" },
  kinds: [K.k8sGateway],
  requires: ["dataPlane", "objectStatus"],
  run(p, { snapshot }) {
    const gw = snapshot.get(K.k8sGateway, p.name, p.namespace);
    if (!gw) return fail(`no Gateway (gateway.networking.k8s.io) ${p.namespace}/${p.name}`);
    const cond = arr(rec(gw.status).conditions)
      .map(rec)
      .find((c) => c.type === "Programmed");
    const evidence = [evidenceOf(gw, "status.conditions", rec(gw.status).conditions)];
    if (str(cond?.status) !== "True")
      return fail(
        `Gateway ${p.namespace}/${p.name} is not Programmed (status.conditions Programmed): ${show(cond?.message ?? cond?.reason ?? "no condition yet")}`,
        evidence,
      );
    return pass(`Gateway ${p.namespace}/${p.name} is Programmed`, evidence);
  },
});

// virtualservice.exists: a VirtualService in a namespace, naming a host, bound to gateways.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { specOf, strs } from "../../../istio/fields";
import { gatewaysOf, resolveGatewayRef, vsAppliesToHost, vsLabel } from "../../../istio/virtual-service";
import { defineCheck } from "../../types";
import {
  evidenceOf,
  fail,
  firstPassing,
  hostParam,
  listNamed,
  listText,
  noneFound,
  pass,
  ZHostParam,
  ZNamespace,
} from "../common";

export const virtualServiceExists = defineCheck({
  name: "virtualservice.exists",
  description:
    "A VirtualService exists in the namespace, optionally with a given name, naming a host, bound to given gateways.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    host: ZHostParam.optional().describe("a host it must name (short names resolve in `namespace`)"),
    gateways: z.array(z.string().min(1)).optional().describe("gateways it must be bound to (`mesh`, `gw`, `ns/gw`)"),
  }),
  example: { namespace: "shop", name: "reviews", host: "reviews", gateways: ["mesh"] },
  kinds: [K.virtualService],
  run(p, { snapshot }) {
    const vss = listNamed(snapshot, K.virtualService, p.namespace, p.name);
    return firstPassing(
      vss,
      (vs) => {
        if (p.host !== undefined) {
          const h = hostParam(p.host, p.namespace);
          if (!vsAppliesToHost(vs, h.resolved)) {
            return fail(
              `${vsLabel(vs)} spec.hosts is ${JSON.stringify(strs(specOf(vs).hosts))}, which does not name ${h.text}`,
              [evidenceOf(vs, "spec.hosts")],
            );
          }
        }
        const bound = gatewaysOf(vs);
        const missing = (p.gateways ?? [])
          .map((g) => resolveGatewayRef(g, p.namespace))
          .filter((g) => !bound.includes(g));
        if (missing.length > 0)
          return fail(`${vsLabel(vs)} is bound to ${JSON.stringify(bound)}, not to ${listText(missing)}`, [
            evidenceOf(vs, "spec.gateways"),
          ]);
        return pass(`${vsLabel(vs)} exists`, [evidenceOf(vs)]);
      },
      noneFound("VirtualService", p.namespace, p.name),
    );
  },
});

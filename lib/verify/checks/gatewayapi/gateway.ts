// gatewayapi.gateway: a Gateway API Gateway with a class and listeners.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, num, rec, show, specOf, str } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, noneFound, pass, ZNamespace, ZPort } from "../common";

export const gatewayApiGateway = defineCheck({
  name: "gatewayapi.gateway",
  description:
    "A Gateway API Gateway (gateway.networking.k8s.io) with the gatewayClassName (default istio) and listeners of the given port, protocol and hostname.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    gatewayClassName: z.string().min(1).default("istio"),
    listeners: z
      .array(
        z.strictObject({
          port: ZPort.optional(),
          protocol: z.string().min(1).optional(),
          hostname: z.string().min(1).optional(),
          name: z.string().min(1).optional(),
        }),
      )
      .optional(),
  }),
  example: { namespace: "shop", name: "gateway", listeners: [{ port: 80, protocol: "HTTP" }] },
  kinds: [K.k8sGateway],
  run(p, { snapshot }) {
    const gws = listNamed(snapshot, K.k8sGateway, p.namespace, p.name);
    return firstPassing(
      gws,
      (gw) => {
        const spec = specOf(gw);
        const label = `Gateway (gateway.networking.k8s.io) ${gw.metadata.namespace}/${gw.metadata.name}`;
        if (str(spec.gatewayClassName) !== p.gatewayClassName) {
          return fail(
            `${label} spec.gatewayClassName is ${show(spec.gatewayClassName)}, expected ${p.gatewayClassName}`,
            [evidenceOf(gw, "spec.gatewayClassName")],
          );
        }
        const listeners = arr(spec.listeners).map(rec);
        const missing = (p.listeners ?? []).filter(
          (want) =>
            !listeners.some(
              (l) =>
                (want.port === undefined || num(l.port) === want.port) &&
                (want.protocol === undefined || str(l.protocol)?.toUpperCase() === want.protocol.toUpperCase()) &&
                (want.hostname === undefined || str(l.hostname) === want.hostname) &&
                (want.name === undefined || str(l.name) === want.name),
            ),
        );
        const describeListener = (l: { port?: unknown; protocol?: unknown; hostname?: unknown; name?: unknown }) =>
          [
            l.name !== undefined && `name ${l.name}`,
            l.port !== undefined && `port ${l.port}`,
            l.protocol !== undefined && `protocol ${l.protocol}`,
            l.hostname !== undefined && `hostname ${l.hostname}`,
          ]
            .filter(Boolean)
            .join(" ");
        if (missing.length > 0)
          return fail(
            `${label} has no listener with ${missing.map(describeListener).join("; nor ")} (spec.listeners: ${listeners.map(describeListener).join("; ") || "none"})`,
            [evidenceOf(gw, "spec.listeners")],
          );
        return pass(`${label} uses class ${p.gatewayClassName}${p.listeners ? " with the expected listeners" : ""}`, [
          evidenceOf(gw, "spec"),
        ]);
      },
      noneFound("Gateway (gateway.networking.k8s.io)", p.namespace, p.name),
    );
  },
});

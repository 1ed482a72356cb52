// virtualservice.gateway: a VirtualService is bound to an Istio Gateway that accepts its hosts (IST0132).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { specOf, strs } from "../../../istio/fields";
import { gatewayServerHosts, serverHostAdmits } from "../../../istio/gateway-hosts";
import { describeHost, hostsOverlap, resolveHost } from "../../../istio/hosts";
import { gatewaysOf, hostsOf, MESH_GATEWAY, resolveGatewayRef, vsLabel } from "../../../istio/virtual-service";
import { defineCheck } from "../../types";
import {
  evidenceOf,
  fail,
  firstPassing,
  listNamed,
  listText,
  noneFound,
  pass,
  ZHostParam,
  ZNamespace,
} from "../common";

export const virtualServiceGateway = defineCheck({
  name: "virtualservice.gateway",
  description:
    "A VirtualService is bound to an Istio Gateway: `gateways` names it (`gw` resolves to the VirtualService's namespace) and at least one host of the VirtualService is allowed by a server of that Gateway (IST0132).",
  params: z.strictObject({
    namespace: ZNamespace.describe("namespace of the VirtualService"),
    name: z.string().min(1).optional().describe("the VirtualService; any in the namespace when omitted"),
    host: ZHostParam.optional().describe("a host the VirtualService must name"),
    gateway: z.string().min(1).describe("the Gateway: `name` (in `namespace`) or `ns/name`"),
    mesh: z.boolean().optional().describe("true: must also be bound to `mesh`; false: must not be"),
  }),
  example: { namespace: "shop", name: "bookinfo", gateway: "bookinfo-gateway", host: "bookinfo.example.com" },
  kinds: [K.virtualService, K.gateway],
  run(p, { snapshot }) {
    const gwRef = resolveGatewayRef(p.gateway, p.namespace);
    const [gwNs, gwName] = gwRef.split("/");
    const gw = snapshot.get(K.gateway, gwName, gwNs);
    if (!gw) return fail(`Gateway ${gwRef} not found`);
    const serverHosts = gatewayServerHosts(gw);
    const vss = listNamed(snapshot, K.virtualService, p.namespace, p.name);
    return firstPassing(
      vss,
      (vs) => {
        const label = vsLabel(vs);
        const hosts = hostsOf(vs);
        if (p.host !== undefined) {
          const h = resolveHost(p.host, p.namespace);
          if (!hosts.some((x) => hostsOverlap(x.resolved, h)))
            return fail(
              `${label} spec.hosts ${JSON.stringify(hosts.map((x) => x.written))} does not name ${describeHost(p.host, h)}`,
              [evidenceOf(vs, "spec.hosts")],
            );
        }
        const bound = gatewaysOf(vs);
        if (!bound.includes(gwRef))
          return fail(
            `${label} spec.gateways is ${JSON.stringify(strs(specOf(vs).gateways))}, which does not include ${gwRef}`,
            [evidenceOf(vs, "spec.gateways")],
          );
        if (p.mesh === true && !bound.includes(MESH_GATEWAY))
          return fail(`${label} spec.gateways lacks "mesh", so sidecars ignore it`, [evidenceOf(vs, "spec.gateways")]);
        if (p.mesh === false && bound.includes(MESH_GATEWAY))
          return fail(`${label} spec.gateways includes "mesh", which it should not`, [evidenceOf(vs, "spec.gateways")]);
        const ns = vs.metadata.namespace ?? "";
        const fitting = hosts.filter((h) => serverHosts.some((e) => serverHostAdmits(e, ns, gwNs, h.resolved)));
        if (fitting.length === 0) {
          return fail(
            `${label} hosts ${JSON.stringify(hosts.map((h) => h.written))} match no server host of Gateway ${gwRef} ${JSON.stringify(serverHosts)} (IST0132)`,
            [evidenceOf(vs, "spec.hosts"), evidenceOf(gw, "spec.servers")],
          );
        }
        return pass(`${label} is bound to Gateway ${gwRef} for ${listText(fitting.map((h) => h.written))}`, [
          evidenceOf(vs, "spec.gateways"),
        ]);
      },
      noneFound("VirtualService", p.namespace, p.name),
    );
  },
});

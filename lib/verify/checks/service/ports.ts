// service.ports: a Service's ports declare their protocol and avoid the sidecar's reserved ports.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, describeObject, num, rec, show, str } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";

const PROTOCOL_PREFIXES = [
  "http",
  "http2",
  "https",
  "grpc",
  "grpc-web",
  "tcp",
  "tls",
  "mongo",
  "mysql",
  "redis",
  "udp",
];
const RESERVED_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

export const servicePorts = defineCheck({
  name: "service.ports",
  description:
    "A Service's ports declare their protocol for Istio (name `<protocol>` or `<protocol>-suffix`, or appProtocol), and neither port nor targetPort is one of the sidecar's reserved ports (15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090).",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1),
    declareProtocol: z.boolean().default(true),
    avoidReservedPorts: z.boolean().default(true),
  }),
  example: { namespace: "shop", name: "reviews" },
  kinds: [K.service],
  run(p, { snapshot }) {
    const svc = snapshot.get(K.service, p.name, p.namespace);
    if (!svc) return fail(`Service ${p.namespace}/${p.name} not found`);
    const wrong: string[] = [];
    arr(rec(svc.spec).ports).forEach((raw, i) => {
      const port = rec(raw);
      const name = str(port.name) ?? "";
      const declared =
        str(port.appProtocol) !== undefined || PROTOCOL_PREFIXES.some((pr) => name === pr || name.startsWith(`${pr}-`));
      if (p.declareProtocol && !declared)
        wrong.push(
          `spec.ports[${i}].name is ${show(port.name)}: name it <protocol>[-suffix] (http, grpc, tcp, ...) or set appProtocol`,
        );
      for (const field of ["port", "targetPort"] as const) {
        const n = num(port[field]);
        if (p.avoidReservedPorts && n !== undefined && RESERVED_PORTS.includes(n))
          wrong.push(`spec.ports[${i}].${field} ${n} is reserved by the sidecar`);
      }
    });
    const evidence = [evidenceOf(svc, "spec.ports", rec(svc.spec).ports)];
    if (wrong.length > 0) return fail(`${describeObject(svc)} ${wrong.join("; ")}`, evidence);
    return pass(`${describeObject(svc)} ports follow Istio's conventions`, evidence);
  },
});

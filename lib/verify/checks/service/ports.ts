// service.ports: the protocol Istio selects for each port of a Service, and the sidecar's reserved ports.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, describeObject, num, rec, show, str } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";

/** Istio's protocols (pkg/config/protocol), by their lower-case name. */
const PROTOCOLS: Record<string, string> = {
  http: "HTTP",
  http_proxy: "HTTP_PROXY",
  http2: "HTTP2",
  https: "HTTPS",
  grpc: "GRPC",
  "grpc-web": "GRPC-Web",
  tcp: "TCP",
  tls: "TLS",
  udp: "UDP",
  mongo: "Mongo",
  mysql: "MySQL",
  redis: "Redis",
};
/** Kubernetes' standard appProtocol names that Istio maps. */
const K8S_APP_PROTOCOLS: Record<string, string> = {
  "kubernetes.io/h2c": "HTTP2",
  "kubernetes.io/ws": "HTTP",
  "kubernetes.io/wss": "HTTP",
};
/** Ports Istio takes as TCP, never sniffed, when nothing declares a protocol (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP = [25, 53, 3306, 27017];
const RESERVED_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

export interface PortProtocol {
  /** Istio's protocol, or undefined when Istio falls back to protocol sniffing */
  protocol?: string;
  /** what decided, in words */
  from: string;
}

/**
 * kube.ConvertProtocol (1.26): UDP ports are UDP; else appProtocol when set (the name is then
 * ignored), else the port name; `grpc-web` first, then the part before the first `-`, compared
 * without case. Anything else is sniffed.
 */
export function portProtocol(port: Record<string, unknown>): PortProtocol {
  if (str(port.protocol) === "UDP") return { protocol: "UDP", from: "protocol UDP" };
  const appProtocol = str(port.appProtocol);
  const name = appProtocol ?? str(port.name) ?? "";
  const from = appProtocol !== undefined ? `appProtocol ${show(appProtocol)}` : `name ${show(port.name)}`;
  if (appProtocol !== undefined && K8S_APP_PROTOCOLS[appProtocol])
    return { protocol: K8S_APP_PROTOCOLS[appProtocol], from };
  if (name.toLowerCase().startsWith("grpc-web")) return { protocol: "GRPC-Web", from };
  const prefix = name.split("-")[0].toLowerCase();
  const parsed = PROTOCOLS[prefix];
  if (parsed === "UDP") return { protocol: "TCP", from: `${from} (udp names no protocol on a TCP port)` };
  if (parsed === undefined && WELL_KNOWN_TCP.includes(num(port.port) ?? 0))
    return { protocol: "TCP", from: `port number ${num(port.port)} (well known: TCP when no protocol is declared)` };
  return { protocol: parsed, from };
}

const ZProtocolName = z.string().min(1).describe("an Istio protocol: HTTP, HTTP2, GRPC, TCP, TLS, HTTPS, ...");

export const servicePorts = defineCheck({
  name: "service.ports",
  description:
    "The protocol Istio selects for each port of a Service (Istio's rules: a UDP port is UDP; else `appProtocol` when set, and the name is then ignored; else the port name `<protocol>` or `<protocol>-<suffix>`, case-insensitive; Kubernetes' `kubernetes.io/h2c`, `ws`, `wss`). `protocols` names the protocol expected per port number (or a list of acceptable ones); `declareProtocol` asks that every port declare one (no sniffing). `avoidReservedPorts`: neither port nor targetPort (which defaults to port) is one of the sidecar's (15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090).",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1),
    declareProtocol: z.boolean().default(true),
    avoidReservedPorts: z.boolean().default(true),
    protocols: z
      .record(z.string().regex(/^\d+$/, "a port number"), z.union([ZProtocolName, z.array(ZProtocolName).min(1)]))
      .optional()
      .describe("port number → the protocol Istio must select, e.g. { '80': HTTP, '9090': [GRPC, HTTP2] }"),
  }),
  example: { namespace: "shop", name: "reviews", protocols: { "9080": "HTTP" } },
  kinds: [K.service],
  run(p, { snapshot }) {
    const svc = snapshot.get(K.service, p.name, p.namespace);
    if (!svc) return fail(`Service ${p.namespace}/${p.name} not found`);
    const wrong: string[] = [];
    const ports = arr(rec(svc.spec).ports).map(rec);
    const selected: string[] = [];
    ports.forEach((port, i) => {
      const sel = portProtocol(port);
      const n = num(port.port);
      selected.push(`${n ?? "?"} ${sel.protocol ?? "sniffed"}`);
      if (p.declareProtocol && sel.protocol === undefined && !(String(n) in (p.protocols ?? {})))
        wrong.push(
          `spec.ports[${i}] (port ${n ?? "?"}) ${sel.from} names no protocol Istio knows, so Istio sniffs it: name it <protocol>[-suffix] (http, http2, grpc, tcp, ...) or set appProtocol`,
        );
      const targetPort = port.targetPort ?? port.port;
      for (const [field, value] of [
        ["port", port.port],
        ["targetPort", targetPort],
      ] as const) {
        const v = num(value);
        if (p.avoidReservedPorts && v !== undefined && RESERVED_PORTS.includes(v)) {
          const implicit =
            field === "targetPort" && port.targetPort === undefined ? " (targetPort defaults to port)" : "";
          wrong.push(`spec.ports[${i}].${field} ${v} is reserved by the sidecar${implicit}`);
        }
      }
    });
    for (const [portNumber, expected] of Object.entries(p.protocols ?? {})) {
      const accepted = (Array.isArray(expected) ? expected : [expected]).map((e) => e.toLowerCase());
      const i = ports.findIndex((port) => num(port.port) === Number(portNumber));
      if (i < 0) {
        wrong.push(`has no port ${portNumber}`);
        continue;
      }
      const sel = portProtocol(ports[i]);
      if (sel.protocol === undefined || !accepted.includes(sel.protocol.toLowerCase()))
        wrong.push(
          `spec.ports[${i}] (port ${portNumber}) is ${sel.protocol ?? "sniffed (no protocol declared)"} by its ${sel.from}, expected ${Array.isArray(expected) ? `one of ${expected.join(", ")}` : expected}`,
        );
    }
    const evidence = [evidenceOf(svc, "spec.ports", rec(svc.spec).ports)];
    if (wrong.length > 0) return fail(`${describeObject(svc)} ${wrong.join("; ")}`, evidence);
    return pass(`${describeObject(svc)} ports: ${selected.join(", ")}`, evidence);
  },
});

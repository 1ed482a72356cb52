// Workload readiness and Service port conventions.
import { z } from "zod";
import { K } from "../../cluster/kinds";
import { arr, describeObject, num, rec, show, str } from "../../istio/fields";
import { defineCheck } from "../types";
import { evidenceOf, fail, pass, ZInt, ZNamespace } from "./common";

export const deploymentReady = defineCheck({
  name: "deployment.ready",
  description:
    "A Deployment has at least `minAvailable` available replicas (default: its spec.replicas, at least 1). Needs a live cluster.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1),
    minAvailable: ZInt.pipe(z.number().min(0)).optional(),
  }),
  example: { namespace: "istio-system", name: "istiod" },
  kinds: [K.deployment],
  requires: ["objectStatus"],
  run(p, { snapshot }) {
    const d = snapshot.get(K.deployment, p.name, p.namespace);
    if (!d) return fail(`Deployment ${p.namespace}/${p.name} not found`);
    const want = p.minAvailable ?? Math.max(num(rec(d.spec).replicas) ?? 1, 1);
    const available = num(rec(d.status).availableReplicas) ?? 0;
    const evidence = [evidenceOf(d, "status.availableReplicas", available)];
    if (available < want)
      return fail(
        `Deployment ${p.namespace}/${p.name} has ${available} available replicas, expected at least ${want}`,
        evidence,
      );
    return pass(`Deployment ${p.namespace}/${p.name} has ${available} available replicas`, evidence);
  },
});

export const daemonSetReady = defineCheck({
  name: "daemonset.ready",
  description:
    "A DaemonSet has a ready pod on every node it schedules to (numberReady = desiredNumberScheduled > 0). Needs a live cluster.",
  params: z.strictObject({ namespace: ZNamespace, name: z.string().min(1) }),
  example: { namespace: "istio-system", name: "ztunnel" },
  kinds: [K.daemonSet],
  requires: ["objectStatus"],
  run(p, { snapshot }) {
    const ds = snapshot.get(K.daemonSet, p.name, p.namespace);
    if (!ds) return fail(`DaemonSet ${p.namespace}/${p.name} not found`);
    const status = rec(ds.status);
    const desired = num(status.desiredNumberScheduled) ?? 0;
    const ready = num(status.numberReady) ?? 0;
    const evidence = [evidenceOf(ds, "status", { desiredNumberScheduled: desired, numberReady: ready })];
    if (desired === 0 || ready < desired)
      return fail(`DaemonSet ${p.namespace}/${p.name} has ${ready} of ${desired} pods ready`, evidence);
    return pass(`DaemonSet ${p.namespace}/${p.name} has all ${ready} pods ready`, evidence);
  },
});

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

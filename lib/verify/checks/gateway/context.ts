// The gateway workloads an Istio Gateway (networking.istio.io) can select, and the Services that
// expose them: Istio applies a Gateway only to proxies running as `router` (gateway pods), found by
// the Gateway's selector in every namespace, and a server's port is reached through a Service
// that selects those pods (pilot resolvePorts: a Service port is bound on its targetPort; a number
// that is no Service port is bound as it is).
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { arr, isRec, labelsOf, num, type Rec, rec, str, strs } from "../../../istio/fields";
import { templateOf } from "../../../istio/injection";
import { matchesLabels } from "../../../istio/labels";
import type { Snapshot } from "../../types";

export interface GatewayPort {
  /** the Service port clients use */
  port: number;
  /** the port the gateway pod listens on */
  targetPort: number;
}

export interface GatewayWorkload {
  /** "Deployment istio-system/istio-ingressgateway", or the assumed default */
  label: string;
  namespace: string;
  labels: Record<string, string>;
  /** Services in the workload's namespace that select it, with their TCP ports */
  services: { name: string; ports: GatewayPort[] }[];
  /** not in the snapshot: the default profile's ingress gateway, assumed when no gateway workload is known */
  assumed: boolean;
}

/** What `istioctl install` (default profile) puts in istio-system, as the lite cluster has it. */
export const DEFAULT_INGRESS_GATEWAY: GatewayWorkload = Object.freeze({
  label:
    "the default profile's Deployment istio-system/istio-ingressgateway (assumed: no gateway workload in the files)",
  namespace: "istio-system",
  labels: { app: "istio-ingressgateway", istio: "ingressgateway" },
  services: [
    {
      name: "istio-ingressgateway",
      ports: [
        { port: 15021, targetPort: 15021 },
        { port: 80, targetPort: 8080 },
        { port: 443, targetPort: 8443 },
      ],
    },
  ],
  assumed: true,
});

/** A pod spec that runs Envoy as a gateway: istio-proxy with `proxy router`, or the gateway injection template. */
function isGatewayPodSpec(spec: Rec, annotations: Record<string, string>): boolean {
  const templates = (annotations["inject.istio.io/templates"] ?? "").split(",").map((t) => t.trim());
  if (templates.includes("gateway")) return true;
  return arr(spec.containers)
    .map(rec)
    .some((c) => strs(c.args).includes("router"));
}

function containerPorts(spec: Rec): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of arr(spec.containers).map(rec)) {
    for (const p of arr(c.ports).map(rec)) {
      const name = str(p.name);
      const n = num(p.containerPort);
      if (name && n !== undefined) out.set(name, n);
    }
  }
  return out;
}

function servicesFor(snapshot: Snapshot, namespace: string, labels: Record<string, string>, podSpec: Rec) {
  const named = containerPorts(podSpec);
  return snapshot
    .list(K.service, namespace)
    .filter((svc) => {
      const selector = rec(rec(svc.spec).selector);
      return Object.keys(selector).length > 0 && matchesLabels(selector as Record<string, string>, labels);
    })
    .map((svc) => ({
      name: svc.metadata.name,
      ports: arr(rec(svc.spec).ports)
        .map(rec)
        .filter((p) => (str(p.protocol) ?? "TCP") === "TCP" && num(p.port) !== undefined)
        .map((p) => {
          const port = num(p.port) as number;
          const target = p.targetPort;
          const targetPort =
            typeof target === "string" && !/^\d+$/.test(target) ? named.get(target) : (num(target) ?? port);
          return { port, targetPort: targetPort ?? port };
        }),
    }));
}

/** Gateway pods and Deployments in the snapshot (a Deployment's pods are counted once, by the Deployment). */
export function gatewayWorkloads(snapshot: Snapshot): GatewayWorkload[] {
  const out: GatewayWorkload[] = [];
  const deployments = snapshot.list(K.deployment);
  for (const d of deployments) {
    const t = templateOf(d);
    if (!isGatewayPodSpec(t.spec, t.annotations)) continue;
    const namespace = d.metadata.namespace ?? "default";
    out.push({
      label: `Deployment ${namespace}/${d.metadata.name}`,
      namespace,
      labels: t.labels,
      services: servicesFor(snapshot, namespace, t.labels, t.spec),
      assumed: false,
    });
  }
  for (const pod of snapshot.list(K.pod)) {
    const spec = rec(pod.spec);
    if (!isGatewayPodSpec(spec, strMapOf(pod))) continue;
    const namespace = pod.metadata.namespace ?? "default";
    const labels = labelsOf(pod);
    const owned = out.some((w) => w.namespace === namespace && matchesLabels(w.labels, labels));
    if (owned) continue;
    out.push({
      label: `Pod ${namespace}/${pod.metadata.name}`,
      namespace,
      labels,
      services: servicesFor(snapshot, namespace, labels, spec),
      assumed: false,
    });
  }
  return out;
}

function strMapOf(o: KubeObject): Record<string, string> {
  const a = rec(o.metadata.annotations);
  return Object.fromEntries(Object.entries(a).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** The gateway workloads to grade against: those in the snapshot, else the default ingress gateway. */
export function knownGatewayWorkloads(snapshot: Snapshot): GatewayWorkload[] {
  const found = gatewayWorkloads(snapshot);
  return found.length > 0 ? found : [DEFAULT_INGRESS_GATEWAY];
}

/**
 * The Service ports through which clients reach a server written with `number` on a workload:
 * the Service port itself, or the Service ports whose targetPort is that number.
 */
export function reachablePorts(number: number, workload: GatewayWorkload): { service: string; port: GatewayPort }[] {
  const out: { service: string; port: GatewayPort }[] = [];
  for (const s of workload.services) {
    const asServicePort = s.ports.find((p) => p.port === number);
    if (asServicePort) {
      out.push({ service: s.name, port: asServicePort });
      continue;
    }
    for (const p of s.ports.filter((x) => x.targetPort === number)) out.push({ service: s.name, port: p });
  }
  return out;
}

export function describePorts(workload: GatewayWorkload): string {
  return workload.services
    .map(
      (s) =>
        `Service ${workload.namespace}/${s.name} ports ${s.ports.map((p) => (p.port === p.targetPort ? `${p.port}` : `${p.port}→${p.targetPort}`)).join(", ")}`,
    )
    .join("; ");
}

/** A server's TLS mode as Istio reads it: a `tls` block without `mode` is PASSTHROUGH (the enum's zero value). */
export function tlsModeOf(server: Rec): string | undefined {
  if (!isRec(server.tls)) return undefined;
  return str(server.tls.mode) ?? "PASSTHROUGH";
}

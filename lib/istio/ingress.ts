// Which Kubernetes Ingresses Istio's ingress controller serves (pilot's shouldProcessIngressWithClass),
// the class the API server's DefaultIngressClass admission gives an Ingress created without one, and
// how Istio's ingress conversion reads a backend's port.
import type { KubeObject } from "../cluster/types";
import { annotationsOf, arr, compareAge, num, type Rec, rec, specOf, str } from "./fields";

export const ISTIO_INGRESS_CONTROLLER = "istio.io/ingress-controller";
const CLASS_ANNOTATION = "kubernetes.io/ingress.class";
export const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
/** The only version of Ingress and IngressClass Kubernetes serves since 1.22. */
export const SERVED_INGRESS_API = "networking.k8s.io/v1";

export interface IngressDecision {
  handled: boolean;
  reason: string;
}

/**
 * Why the API server refuses an Ingress or IngressClass written at an API version it no longer
 * serves (networking.k8s.io/v1beta1 and extensions/v1beta1 were removed in Kubernetes 1.22).
 */
export function unservedIngressApi(o: KubeObject): string | undefined {
  if (o.apiVersion === SERVED_INGRESS_API) return undefined;
  return `apiVersion ${o.apiVersion} is no longer served (removed in Kubernetes 1.22): the API server refuses the ${o.kind}; write ${SERVED_INGRESS_API}`;
}

/**
 * The cluster's default IngressClass, as the DefaultIngressClass admission picks it: a class
 * annotated ingressclass.kubernetes.io/is-default-class: "true"; with several, the newest.
 */
export function defaultIngressClass(ingressClasses: readonly KubeObject[]): KubeObject | undefined {
  const defaults = ingressClasses.filter(
    (c) => unservedIngressApi(c) === undefined && annotationsOf(c)[DEFAULT_CLASS_ANNOTATION] === "true",
  );
  return [...defaults].sort(compareAge).at(-1);
}

export interface DecideOptions {
  /**
   * The Ingress was read from files, so the API server's admission never ran on it: with no
   * ingressClassName and no class annotation it gets the default IngressClass, as it would be
   * created. On a live cluster the admission already wrote it (or found no default).
   */
  fromFiles?: boolean;
}

/**
 * The `kubernetes.io/ingress.class` annotation must equal the mesh `ingressClass` (DEFAULT or
 * STRICT mode); without it, the IngressClass named by `ingressClassName` must have controller
 * istio.io/ingress-controller; with neither, only DEFAULT mode serves it. OFF serves nothing.
 */
export function decideIngress(
  ingress: KubeObject,
  ingressClasses: readonly KubeObject[],
  mesh: Rec,
  options: DecideOptions = {},
): IngressDecision {
  const mode = str(mesh.ingressControllerMode) ?? "STRICT";
  const meshClass = str(mesh.ingressClass) ?? "istio";
  const annotated = annotationsOf(ingress)[CLASS_ANNOTATION];
  if (mode === "OFF") return { handled: false, reason: "mesh ingressControllerMode is OFF" };
  if (annotated !== undefined) {
    return annotated === meshClass
      ? { handled: true, reason: `annotation ${CLASS_ANNOTATION}: ${annotated} equals the mesh ingressClass` }
      : {
          handled: false,
          reason: `annotation ${CLASS_ANNOTATION}: ${annotated} is not the mesh ingressClass "${meshClass}"`,
        };
  }
  const served = ingressClasses.filter((c) => unservedIngressApi(c) === undefined);
  let className = str(specOf(ingress).ingressClassName);
  let via = `spec.ingressClassName ${className}`;
  if (className === undefined && options.fromFiles) {
    const fallback = defaultIngressClass(served);
    if (fallback) {
      className = fallback.metadata.name;
      via = `no spec.ingressClassName, so the API server gives it the default IngressClass ${className} (${DEFAULT_CLASS_ANNOTATION}: "true"), and`;
    }
  }
  const ingressClass = className === undefined ? undefined : served.find((c) => c.metadata.name === className);
  if (ingressClass) {
    const controller = str(rec(ingressClass.spec).controller);
    return controller === ISTIO_INGRESS_CONTROLLER
      ? { handled: true, reason: `${via}: IngressClass ${className} has controller ${ISTIO_INGRESS_CONTROLLER}` }
      : {
          handled: false,
          reason: `${via}: IngressClass ${className} has spec.controller ${controller ?? "(unset)"}, not ${ISTIO_INGRESS_CONTROLLER}`,
        };
  }
  const missing =
    className === undefined
      ? "no spec.ingressClassName (and no default IngressClass)"
      : `spec.ingressClassName ${className} names no IngressClass`;
  return mode === "DEFAULT"
    ? { handled: true, reason: `${missing}; mesh ingressControllerMode DEFAULT serves it` }
    : {
        handled: false,
        reason: `${missing} and no ${CLASS_ANNOTATION} annotation; mesh ingressControllerMode ${mode} ignores it`,
      };
}

/**
 * The Service port an Ingress backend reaches, as Istio's ingress conversion reads it. A
 * `port.number` is taken as written: the route exists, and when the Service or that port does not
 * exist its requests fail (503, no cluster), so `broken` says why. A `port.name` is looked up among
 * the Service's named ports; a name that matches none (or a missing Service) drops the path, so
 * `dropped` says why and the next matching path serves the request.
 */
export type BackendPort = { ok: true; port: number; broken?: string } | { ok: false; dropped: string };

export function resolveBackendPort(backend: Rec, service: KubeObject | undefined): BackendPort {
  const svc = rec(backend.service);
  const name = str(svc.name) ?? "";
  const port = rec(svc.port);
  const ports = arr(rec(service?.spec).ports).map(rec);
  const number = num(port.number);
  const portName = str(port.name);
  const listed = ports.map((p) => (str(p.name) ? `${num(p.port)} (${str(p.name)})` : `${num(p.port)}`)).join(", ");
  if (number !== undefined && number > 0) {
    if (!service) return { ok: true, port: number, broken: `backend Service ${name} does not exist` };
    return ports.some((p) => num(p.port) === number)
      ? { ok: true, port: number }
      : {
          ok: true,
          port: number,
          broken: `backend port.number ${number} is not a port of Service ${name} (it has ${listed})`,
        };
  }
  if (portName !== undefined) {
    if (!service)
      return {
        ok: false,
        dropped: `backend port.name ${portName}: Service ${name} does not exist, so Istio drops the path`,
      };
    const value = num(ports.find((p) => str(p.name) === portName)?.port);
    return value !== undefined
      ? { ok: true, port: value }
      : {
          ok: false,
          dropped: `backend port.name ${portName} names no port of Service ${name} (it has ${listed}), so Istio drops the path`,
        };
  }
  return { ok: false, dropped: `backend of Service ${name} sets no port.number or port.name` };
}

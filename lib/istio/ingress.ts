// Which Kubernetes Ingresses Istio's ingress controller serves (pilot's shouldProcessIngressWithClass).
import type { KubeObject } from "../cluster/types";
import { annotationsOf, type Rec, rec, specOf, str } from "./fields";

export const ISTIO_INGRESS_CONTROLLER = "istio.io/ingress-controller";
const CLASS_ANNOTATION = "kubernetes.io/ingress.class";

export interface IngressDecision {
  handled: boolean;
  reason: string;
}

/**
 * The `kubernetes.io/ingress.class` annotation must equal the mesh `ingressClass` (DEFAULT or
 * STRICT mode); without it, the IngressClass named by `ingressClassName` must have controller
 * istio.io/ingress-controller; with neither, only DEFAULT mode serves it. OFF serves nothing.
 */
export function decideIngress(ingress: KubeObject, ingressClasses: readonly KubeObject[], mesh: Rec): IngressDecision {
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
  const className = str(specOf(ingress).ingressClassName);
  const ingressClass = className === undefined ? undefined : ingressClasses.find((c) => c.metadata.name === className);
  if (ingressClass) {
    const controller = str(rec(ingressClass.spec).controller);
    return controller === ISTIO_INGRESS_CONTROLLER
      ? { handled: true, reason: `IngressClass ${className} has controller ${ISTIO_INGRESS_CONTROLLER}` }
      : {
          handled: false,
          reason: `IngressClass ${className} has controller ${controller ?? "(unset)"}, not ${ISTIO_INGRESS_CONTROLLER}`,
        };
  }
  const missing =
    className === undefined ? "no ingressClassName" : `ingressClassName ${className} names no IngressClass`;
  return mode === "DEFAULT"
    ? { handled: true, reason: `${missing}; mesh ingressControllerMode DEFAULT serves it` }
    : {
        handled: false,
        reason: `${missing} and no ${CLASS_ANNOTATION} annotation; mesh ingressControllerMode ${mode} ignores it`,
      };
}

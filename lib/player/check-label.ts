// A check's label for people: "VirtualService: mirror" instead of "mirror/virtualservice.mirror".

const KINDS: Record<string, string> = {
  virtualservice: "VirtualService",
  destinationrule: "DestinationRule",
  gateway: "Gateway",
  gatewayapi: "Gateway API Gateway",
  httproute: "HTTPRoute",
  serviceentry: "ServiceEntry",
  sidecar: "Sidecar",
  workloadentry: "WorkloadEntry",
  workloadgroup: "WorkloadGroup",
  peerauthentication: "PeerAuthentication",
  authorizationpolicy: "AuthorizationPolicy",
  requestauthentication: "RequestAuthentication",
  namespace: "Namespace",
  deployment: "Deployment",
  daemonset: "DaemonSet",
  service: "Service",
  pods: "Pods",
  ingress: "Ingress",
  ingressclass: "IngressClass",
  mesh: "Mesh config",
  hosts: "Hosts",
  object: "Object",
};

/** From a result id (`task/check-id`): the kind as Istio spells it, then what is checked. */
export function checkLabel(resultId: string): string {
  const checkId = resultId.slice(resultId.indexOf("/") + 1);
  const dot = checkId.indexOf(".");
  if (dot === -1) return checkId;
  const kind = KINDS[checkId.slice(0, dot)] ?? checkId.slice(0, dot);
  return `${kind}: ${checkId.slice(dot + 1).replaceAll("-", " ")}`;
}

import type { KindRef } from "./types";

// The resource types the checks read. Istio objects are read at v1 (1.22+ serves it);
// objects written as v1beta1/v1alpha3 are the same schema and match by group + kind.
const ref = (group: string, version: string, kind: string, plural: string, namespaced = true): KindRef => ({
  group,
  version,
  kind,
  plural,
  namespaced,
});

export const K = {
  namespace: ref("", "v1", "Namespace", "namespaces", false),
  service: ref("", "v1", "Service", "services"),
  pod: ref("", "v1", "Pod", "pods"),
  configMap: ref("", "v1", "ConfigMap", "configmaps"),
  secret: ref("", "v1", "Secret", "secrets"),
  serviceAccount: ref("", "v1", "ServiceAccount", "serviceaccounts"),
  deployment: ref("apps", "v1", "Deployment", "deployments"),
  daemonSet: ref("apps", "v1", "DaemonSet", "daemonsets"),
  ingress: ref("networking.k8s.io", "v1", "Ingress", "ingresses"),
  ingressClass: ref("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false),
  mutatingWebhook: ref(
    "admissionregistration.k8s.io",
    "v1",
    "MutatingWebhookConfiguration",
    "mutatingwebhookconfigurations",
    false,
  ),
  crd: ref("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false),
  virtualService: ref("networking.istio.io", "v1", "VirtualService", "virtualservices"),
  destinationRule: ref("networking.istio.io", "v1", "DestinationRule", "destinationrules"),
  gateway: ref("networking.istio.io", "v1", "Gateway", "gateways"),
  serviceEntry: ref("networking.istio.io", "v1", "ServiceEntry", "serviceentries"),
  sidecar: ref("networking.istio.io", "v1", "Sidecar", "sidecars"),
  workloadEntry: ref("networking.istio.io", "v1", "WorkloadEntry", "workloadentries"),
  workloadGroup: ref("networking.istio.io", "v1", "WorkloadGroup", "workloadgroups"),
  // served only at v1beta1
  proxyConfig: ref("networking.istio.io", "v1beta1", "ProxyConfig", "proxyconfigs"),
  peerAuthentication: ref("security.istio.io", "v1", "PeerAuthentication", "peerauthentications"),
  authorizationPolicy: ref("security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies"),
  requestAuthentication: ref("security.istio.io", "v1", "RequestAuthentication", "requestauthentications"),
  telemetry: ref("telemetry.istio.io", "v1", "Telemetry", "telemetries"),
  gatewayClass: ref("gateway.networking.k8s.io", "v1", "GatewayClass", "gatewayclasses", false),
  k8sGateway: ref("gateway.networking.k8s.io", "v1", "Gateway", "gateways"),
  httpRoute: ref("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"),
} as const satisfies Record<string, KindRef>;

export const ALL_KINDS: readonly KindRef[] = Object.values(K);

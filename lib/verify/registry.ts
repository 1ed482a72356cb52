// Every built-in check, by the name scenario.yaml's `use:` gives. A check named `<kind>.<rest>`
// lives in checks/<kind>/<rest>.ts, its tests beside it in <rest>.test.ts.
import { authorizationPolicyDecision } from "./checks/authorizationpolicy/decision";
import { authorizationPolicyDenyAll } from "./checks/authorizationpolicy/deny-all";
import { daemonSetReady } from "./checks/daemonset/ready";
import { deploymentInjection } from "./checks/deployment/injection";
import { deploymentKubeInjected } from "./checks/deployment/kube-injected";
import { deploymentReady } from "./checks/deployment/ready";
import { deploymentResources } from "./checks/deployment/resources";
import { destinationRuleConnectionPool } from "./checks/destinationrule/connection-pool";
import { destinationRuleConsistentHash } from "./checks/destinationrule/consistent-hash";
import { destinationRuleLoadBalancer } from "./checks/destinationrule/load-balancer";
import { destinationRuleLocalityFailover } from "./checks/destinationrule/locality-failover";
import { destinationRuleOutlierDetection } from "./checks/destinationrule/outlier-detection";
import { destinationRuleSubsets } from "./checks/destinationrule/subsets";
import { destinationRuleTls } from "./checks/destinationrule/tls";
import { gatewayServer } from "./checks/gateway/server";
import { gatewayApiGateway } from "./checks/gatewayapi/gateway";
import { gatewayApiGatewayProgrammed } from "./checks/gatewayapi/gateway-programmed";
import { hostsResolve } from "./checks/hosts/resolve";
import { httpRouteBackends } from "./checks/httproute/backends";
import { ingressIstio } from "./checks/ingress/istio";
import { ingressClassIstio } from "./checks/ingressclass/istio";
import { installIstiod } from "./checks/install/istiod";
import { installRevisionTag } from "./checks/install/revision-tag";
import { meshField } from "./checks/mesh/field";
import { meshOutboundPolicy } from "./checks/mesh/outbound-policy";
import { namespaceInjection } from "./checks/namespace/injection";
import { namespaceLabels } from "./checks/namespace/labels";
import { namespaceRevision } from "./checks/namespace/revision";
import { objectExists } from "./checks/object/exists";
import { objectField } from "./checks/object/field";
import { peerAuthenticationEffectiveMode } from "./checks/peerauthentication/effective-mode";
import { peerAuthenticationMtls } from "./checks/peerauthentication/mtls";
import { podsInjected } from "./checks/pods/injected";
import { podsMergedAppMetrics } from "./checks/pods/merged-app-metrics";
import { podsPrometheusMerge } from "./checks/pods/prometheus-merge";
import { podsRevision } from "./checks/pods/revision";
import { proxyConfigEffective } from "./checks/proxyconfig/effective";
import { requestAuthenticationJwt } from "./checks/requestauthentication/jwt";
import { servicePorts } from "./checks/service/ports";
import { serviceEntryHost } from "./checks/serviceentry/host";
import { serviceEntryUpstreamTls } from "./checks/serviceentry/upstream-tls";
import { sidecarEgress } from "./checks/sidecar/egress";
import { telemetryAccessLogging } from "./checks/telemetry/access-logging";
import { trafficAuthz } from "./checks/traffic/authz";
import { trafficFault } from "./checks/traffic/fault";
import { trafficMirror } from "./checks/traffic/mirror";
import { trafficMtls } from "./checks/traffic/mtls";
import { trafficRetries } from "./checks/traffic/retries";
import { trafficShares } from "./checks/traffic/shares";
import { trafficTimeout } from "./checks/traffic/timeout";
import { virtualServiceCatchAllLast } from "./checks/virtualservice/catch-all-last";
import { virtualServiceCors } from "./checks/virtualservice/cors";
import { virtualServiceDelegate } from "./checks/virtualservice/delegate";
import { virtualServiceExists } from "./checks/virtualservice/exists";
import { virtualServiceFault } from "./checks/virtualservice/fault";
import { virtualServiceGateway } from "./checks/virtualservice/gateway";
import { virtualServiceHeaders } from "./checks/virtualservice/headers";
import { virtualServiceMirror } from "./checks/virtualservice/mirror";
import { virtualServiceRetries } from "./checks/virtualservice/retries";
import { virtualServiceRoutes } from "./checks/virtualservice/routes";
import { virtualServiceSubsetsDefined } from "./checks/virtualservice/subsets-defined";
import { virtualServiceTimeout } from "./checks/virtualservice/timeout";
import { virtualServiceTlsRoute } from "./checks/virtualservice/tls-route";
import { virtualServiceUniqueHost } from "./checks/virtualservice/unique-host";
import { workloadEntryExists } from "./checks/workloadentry/exists";
import { workloadGroupExists } from "./checks/workloadgroup/exists";
import type { CheckDefinition } from "./types";

const all: CheckDefinition[] = [
  virtualServiceExists,
  virtualServiceRoutes,
  virtualServiceMirror,
  virtualServiceRetries,
  virtualServiceTimeout,
  virtualServiceFault,
  virtualServiceCors,
  virtualServiceHeaders,
  virtualServiceDelegate,
  virtualServiceCatchAllLast,
  virtualServiceUniqueHost,
  virtualServiceGateway,
  virtualServiceSubsetsDefined,
  virtualServiceTlsRoute,
  destinationRuleSubsets,
  destinationRuleLoadBalancer,
  destinationRuleConsistentHash,
  destinationRuleConnectionPool,
  destinationRuleOutlierDetection,
  destinationRuleLocalityFailover,
  destinationRuleTls,
  gatewayServer,
  serviceEntryHost,
  serviceEntryUpstreamTls,
  sidecarEgress,
  peerAuthenticationMtls,
  peerAuthenticationEffectiveMode,
  authorizationPolicyDenyAll,
  authorizationPolicyDecision,
  requestAuthenticationJwt,
  meshField,
  meshOutboundPolicy,
  namespaceInjection,
  namespaceLabels,
  namespaceRevision,
  podsInjected,
  podsRevision,
  deploymentInjection,
  deploymentKubeInjected,
  podsPrometheusMerge,
  podsMergedAppMetrics,
  proxyConfigEffective,
  telemetryAccessLogging,
  ingressClassIstio,
  ingressIstio,
  gatewayApiGateway,
  gatewayApiGatewayProgrammed,
  httpRouteBackends,
  workloadGroupExists,
  workloadEntryExists,
  deploymentReady,
  deploymentResources,
  installIstiod,
  installRevisionTag,
  daemonSetReady,
  servicePorts,
  hostsResolve,
  objectExists,
  objectField,
  trafficShares,
  trafficMirror,
  trafficFault,
  trafficTimeout,
  trafficRetries,
  trafficMtls,
  trafficAuthz,
] as CheckDefinition[];

export const builtinChecks: ReadonlyMap<string, CheckDefinition> = new Map(all.map((c) => [c.name, c]));

export function findBuiltinCheck(name: string): CheckDefinition | undefined {
  return builtinChecks.get(name);
}

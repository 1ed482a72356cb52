// Every built-in check, by the name scenario.yaml's `use:` gives.
import {
  destinationRuleConnectionPool,
  destinationRuleConsistentHash,
  destinationRuleLoadBalancer,
  destinationRuleLocalityFailover,
  destinationRuleOutlierDetection,
  destinationRuleSubsets,
  destinationRuleTls,
} from "./checks/destination-rule";
import { gatewayServer } from "./checks/gateway";
import { gatewayApiGateway, gatewayApiGatewayProgrammed, httpRouteBackends } from "./checks/gateway-api";
import { objectExists, objectField } from "./checks/generic";
import { hostsResolve } from "./checks/hosts";
import { ingressClassIstio, ingressIstio } from "./checks/ingress";
import {
  deploymentInjection,
  deploymentKubeInjected,
  namespaceInjection,
  namespaceLabels,
  podsInjected,
  podsPrometheusMerge,
} from "./checks/injection";
import { meshField } from "./checks/mesh";
import {
  authorizationPolicyDecision,
  authorizationPolicyDenyAll,
  peerAuthenticationMtls,
  requestAuthenticationJwt,
} from "./checks/security";
import { serviceEntryHost } from "./checks/service-entry";
import { sidecarEgress } from "./checks/sidecar";
import {
  virtualServiceCors,
  virtualServiceFault,
  virtualServiceHeaders,
  virtualServiceMirror,
  virtualServiceRetries,
  virtualServiceRoutes,
  virtualServiceTimeout,
} from "./checks/virtual-service-routing";
import {
  virtualServiceCatchAllLast,
  virtualServiceDelegate,
  virtualServiceExists,
  virtualServiceGateway,
  virtualServiceSubsetsDefined,
  virtualServiceUniqueHost,
} from "./checks/virtual-service-structure";
import { workloadEntryExists, workloadGroupExists } from "./checks/workload-entry";
import { daemonSetReady, deploymentReady, servicePorts } from "./checks/workloads";
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
  destinationRuleSubsets,
  destinationRuleLoadBalancer,
  destinationRuleConsistentHash,
  destinationRuleConnectionPool,
  destinationRuleOutlierDetection,
  destinationRuleLocalityFailover,
  destinationRuleTls,
  gatewayServer,
  serviceEntryHost,
  sidecarEgress,
  peerAuthenticationMtls,
  authorizationPolicyDenyAll,
  authorizationPolicyDecision,
  requestAuthenticationJwt,
  meshField,
  namespaceInjection,
  namespaceLabels,
  podsInjected,
  deploymentInjection,
  deploymentKubeInjected,
  podsPrometheusMerge,
  ingressClassIstio,
  ingressIstio,
  gatewayApiGateway,
  gatewayApiGatewayProgrammed,
  httpRouteBackends,
  workloadGroupExists,
  workloadEntryExists,
  deploymentReady,
  daemonSetReady,
  servicePorts,
  hostsResolve,
  objectExists,
  objectField,
] as CheckDefinition[];

export const builtinChecks: ReadonlyMap<string, CheckDefinition> = new Map(all.map((c) => [c.name, c]));

export function findBuiltinCheck(name: string): CheckDefinition | undefined {
  return builtinChecks.get(name);
}

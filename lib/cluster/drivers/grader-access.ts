import { stringify } from "yaml";

// What lite and kind share for Check's read-only credential: the RBAC that lets the grader only
// read, and a kubeconfig that carries a bearer token.

export const GRADER_NAME = "ica-grader";

export type GraderSubject =
  | { kind: "Group"; name: string }
  | { kind: "ServiceAccount"; name: string; namespace: string };

/**
 * The core resources the grader reads. Not `*`: a wildcard also matches subresources, and before
 * Kubernetes 1.35 a WebSocket exec, attach or port-forward is authorized as `get` on pods/exec,
 * pods/attach or pods/portforward (and services/proxy, nodes/proxy reach into workloads), so
 * `get` on `*` would let Check's credential run commands in any pod.
 */
const CORE_RESOURCES = [
  "pods",
  "pods/log",
  "services",
  "endpoints",
  "namespaces",
  "nodes",
  "configmaps",
  "secrets", // gateway.server reads a credential Secret's keys
  "serviceaccounts",
  "events",
  "persistentvolumeclaims",
  "persistentvolumes",
  "replicationcontrollers",
  "limitranges",
  "resourcequotas",
  "podtemplates",
];

/** Every other group the checks may read (none has a subresource that reaches into a workload). */
const API_GROUPS = [
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "networking.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "coordination.k8s.io",
  "scheduling.k8s.io",
  "node.k8s.io",
  "certificates.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "networking.istio.io",
  "security.istio.io",
  "telemetry.istio.io",
  "extensions.istio.io",
  "install.istio.io",
  "gateway.networking.k8s.io",
  "gateway.networking.x-k8s.io",
];

/** Read-only access (get, list, watch) for the grader: no exec, attach, port-forward or proxy. */
export function graderRbac(subject: GraderSubject): Record<string, unknown>[] {
  // a ServiceAccount subject takes no apiGroup
  const bound = subject.kind === "Group" ? { apiGroup: "rbac.authorization.k8s.io", ...subject } : subject;
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: GRADER_NAME },
      rules: [
        { apiGroups: [""], resources: CORE_RESOURCES, verbs: ["get", "list", "watch"] },
        { apiGroups: API_GROUPS, resources: ["*"], verbs: ["get", "list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: GRADER_NAME },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: GRADER_NAME },
      subjects: [bound],
    },
  ];
}

export interface TokenKubeconfig {
  /** the cluster's and the context's name */
  name: string;
  server: string;
  /** base64 PEM of the CA that signed the API server's certificate */
  caData: string;
  user: string;
  token: string;
}

export function tokenKubeconfig({ name, server, caData, user, token }: TokenKubeconfig): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": caData } }],
    users: [{ name: `${name}-${user}`, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-${user}` } }],
    "current-context": name,
  });
}

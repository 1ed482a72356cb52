import { stringify } from "yaml";

// What lite and kind share for Check's read-only credential: the RBAC that lets the grader only
// read, and a kubeconfig that carries a bearer token.

export const GRADER_NAME = "ica-grader";

export type GraderSubject =
  | { kind: "Group"; name: string }
  | { kind: "ServiceAccount"; name: string; namespace: string };

/** Read-only access to every resource (get, list, watch) for the grader. */
export function graderRbac(subject: GraderSubject): Record<string, unknown>[] {
  // a ServiceAccount subject takes no apiGroup
  const bound = subject.kind === "Group" ? { apiGroup: "rbac.authorization.k8s.io", ...subject } : subject;
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: GRADER_NAME },
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch"] }],
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

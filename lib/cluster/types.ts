// The narrow contract between the domain and a Kubernetes cluster (live or built from files).
// Only lib/cluster/ talks to Kubernetes; everything else sees these types.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  uid?: string;
  generation?: number;
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A resource type. Objects are matched by group + kind, whatever their version. */
export interface KindRef {
  group: string; // "" for the core group
  version: string; // the version to read through the API
  kind: string;
  plural: string;
  namespaced: boolean;
}

export type ClusterFailureReason = "not-found" | "forbidden" | "unreachable" | "invalid";

export interface ClusterFailure {
  reason: ClusterFailureReason;
  message: string;
}

export type ClusterResult<T> = { ok: true; value: T } | { ok: false; failure: ClusterFailure };

/** What a cluster can do; a check that needs more is reported as skipped. */
export interface Capabilities {
  /** Envoy proxies and istiod actually run (traffic-level checks). */
  dataPlane: boolean;
  /** Objects carry status written by controllers; false for manifests read from files. Default true. */
  objectStatus?: boolean;
  /** The driver runs the prober pods (lib/cluster/prober/prober.yaml), so traffic checks can send requests. */
  prober?: boolean;
}

export interface Cluster {
  /** "files", "lite", or the kubeconfig context name. */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Sends traffic through the mesh (live clusters with a data plane); absent elsewhere. */
  readonly prober?: Prober;
  /** Every object of a kind, in one namespace or (namespace omitted) in all of them. */
  list(kind: KindRef, namespace?: string): Promise<ClusterResult<KubeObject[]>>;
  get(kind: KindRef, name: string, namespace?: string): Promise<ClusterResult<KubeObject>>;
}

export function kindKey(ref: Pick<KindRef, "group" | "kind">): string {
  return `${ref.group || "core"}/${ref.kind}`;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/** Requests sent with curl from the prober pod (namespace ica-prober), one after another. */
export interface ProbeRequest {
  url: string;
  count: number;
  method?: string;
  headers?: Record<string, string>;
  /** curl's --max-time per request */
  timeoutSeconds?: number;
  /** the User-Agent of every request, with `/<n>` appended (n = 1..count), to find them in access logs */
  userAgent: string;
  /** from the prober pod without a sidecar (plain text) instead of the one with a sidecar */
  isPlainText?: boolean;
}

/** One request's answer as curl saw it; status 0 when none came (curl's exit code says why). */
export interface ProbeAnswer {
  status: number;
  seconds: number;
  headers: Record<string, string>;
  /** the first 2000 bytes */
  body: string;
  curlExit: number;
}

/** The access log (istio-proxy container) of the running pods a selector picks. */
export interface AccessLogQuery {
  namespace: string;
  labels: Record<string, string>;
  sinceSeconds: number;
}

export interface Prober {
  send(request: ProbeRequest): Promise<ClusterResult<ProbeAnswer[]>>;
  accessLog(query: AccessLogQuery): Promise<ClusterResult<string[]>>;
}

// What `npm run cluster` and the integration tests need from a cluster driver.

export type ProgressFn = (message: string) => void;

export interface UpResult {
  kubeconfig: string;
  /** True when a running cluster was found and reused instead of started. */
  reused: boolean;
}

export interface DriverStatus {
  running: boolean;
  kubeconfig?: string;
  /** Human-readable lines: processes, ports, data dir. */
  details: string[];
  /** What the cluster bar shows, when known. */
  kubernetesVersion?: string;
  istioVersion?: string;
  pieces?: StatusPiece[];
}

/** One part of a cluster (a process, a Deployment, the CRDs) and whether it is ready. */
export interface StatusPiece {
  name: string;
  isReady: boolean;
  detail: string;
}

export interface Driver {
  readonly name: string;
  up(onProgress: ProgressFn): Promise<UpResult>;
  down(onProgress: ProgressFn): Promise<void>;
  status(): Promise<DriverStatus>;
  /** Where up() writes (or wrote) the kubeconfig. */
  kubeconfigPath(): string;
}

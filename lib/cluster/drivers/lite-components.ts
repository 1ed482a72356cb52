import { join } from "node:path";
import type { BinaryName } from "../control-plane-binaries";
import type { litePaths } from "./lite-state";
import { findFreePort, type RecordedProcess, spawnDetached } from "./processes";

// The command lines of the lite control plane. Everything binds 127.0.0.1 on ports
// picked at start, so several checkouts (or a CI run beside a learner) never collide.

export interface LitePorts {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

type Paths = ReturnType<typeof litePaths>;
type Binaries = Record<BinaryName, string>;

/** Services get ClusterIPs in 10.96.0.0/16. */
export const SERVICE_CIDR_PREFIX = "10.96.";

export const FAKE_NODE_ANNOTATION = "kwok.x-k8s.io/node";

export async function pickPorts(): Promise<LitePorts> {
  const ports: number[] = [];
  while (ports.length < 6) {
    const port = await findFreePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [etcd, etcdPeer, apiserver, controllerManager, scheduler, kwok] = ports;
  return { etcd, etcdPeer, apiserver, controllerManager, scheduler, kwok };
}

/**
 * Go's soft memory limit per process: the garbage collector works harder near it instead of
 * letting the heap grow, which keeps the whole control plane plus istiod under 1 GB RSS
 * after a test run (kube-apiserver grew to 570 MB without it).
 */
export const MEMORY_LIMITS: Record<string, string> = {
  "kube-apiserver": "320MiB",
  "kube-controller-manager": "80MiB",
  istiod: "110MiB",
};

function start(name: string, binary: string, args: string[], paths: Paths): RecordedProcess {
  const limit = MEMORY_LIMITS[name];
  return spawnDetached(name, binary, args, join(paths.logs, `${name}.log`), limit ? { GOMEMLIMIT: limit } : {});
}

export function startEtcd(bin: Binaries, paths: Paths, ports: LitePorts): RecordedProcess {
  const client = `http://127.0.0.1:${ports.etcd}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return start(
    "etcd",
    bin.etcd,
    [
      "--name=lite",
      `--data-dir=${paths.etcdData}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=lite=${peer}`,
      "--unsafe-no-fsync", // a throwaway practice cluster: speed over durability
      "--log-level=warn",
    ],
    paths,
  );
}

/**
 * egressConfig: the --egress-selector-config-file that sends webhook and kubelet traffic through
 * istiod's host; without one (a bare cluster) kube-apiserver dials kubelets (KWOK) directly.
 */
export function startApiserver(bin: Binaries, paths: Paths, ports: LitePorts, egressConfig?: string): RecordedProcess {
  const saKey = join(paths.pki, "sa.key");
  return start(
    "kube-apiserver",
    bin["kube-apiserver"],
    [
      `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${ports.apiserver}`,
      // The default reconciler would publish 127.0.0.1 as the kubernetes Service endpoint.
      "--endpoint-reconciler-type=none",
      `--cert-dir=${paths.pki}`, // kube-apiserver writes a self-signed serving cert here
      `--token-auth-file=${paths.tokens}`,
      "--authorization-mode=Node,RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR_PREFIX}0.0/16`,
      "--allow-privileged=true",
      "--profiling=false",
      ...(egressConfig ? [`--egress-selector-config-file=${egressConfig}`] : []),
    ],
    paths,
  );
}

function componentArgs(paths: Paths, port: number): string[] {
  return [
    `--kubeconfig=${paths.kubeconfig}`,
    `--authentication-kubeconfig=${paths.kubeconfig}`,
    `--authorization-kubeconfig=${paths.kubeconfig}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
    "--leader-elect=false",
    "--profiling=false",
  ];
}

export function startControllerManager(bin: Binaries, paths: Paths, ports: LitePorts): RecordedProcess {
  return start(
    "kube-controller-manager",
    bin["kube-controller-manager"],
    [
      ...componentArgs(paths, ports.controllerManager),
      `--service-account-private-key-file=${join(paths.pki, "sa.key")}`,
      `--root-ca-file=${join(paths.pki, "apiserver.crt")}`,
      "--cluster-name=ica-lite",
    ],
    paths,
  );
}

export function startScheduler(bin: Binaries, paths: Paths, ports: LitePorts): RecordedProcess {
  return start("kube-scheduler", bin["kube-scheduler"], componentArgs(paths, ports.scheduler), paths);
}

/**
 * kwokConfig holds its ClusterPortForward (fake istiod pods forward to the local istiod; none on
 * a bare cluster). KWOK
 * serves the kubelet API (port-forward) over HTTPS on its port, with kube-apiserver's
 * self-signed serving cert, and the fake node advertises that port.
 */
export function startKwok(bin: Binaries, paths: Paths, ports: LitePorts, kwokConfig?: string): RecordedProcess {
  return start(
    "kwok",
    bin.kwok,
    [
      `--kubeconfig=${paths.kubeconfig}`,
      "--manage-all-nodes=false",
      `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=fake`,
      ...(kwokConfig ? [`--config=${kwokConfig}`] : []),
      `--server-address=127.0.0.1:${ports.kwok}`,
      `--node-port=${ports.kwok}`,
      `--tls-cert-file=${join(paths.pki, "apiserver.crt")}`,
      `--tls-private-key-file=${join(paths.pki, "apiserver.key")}`,
      "--cidr=10.244.0.0/16",
      "--node-ip=127.0.0.1",
      // Renew a node Lease (every 10 s): without one kwok patches node status only about
      // every 55 s, past kube-controller-manager's grace period, and the node flaps NotReady.
      "--node-lease-duration-seconds=40",
    ],
    paths,
  );
}

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT } from "../../paths";
import type { BinaryName } from "../control-plane-binaries";
import { MEMORY_LIMITS } from "./lite-components";
import type { Kubectl } from "./lite-install";
import type { litePaths } from "./lite-state";
import { findFreePort, isRecordedProcessRunning, type RecordedProcess, spawnDetached } from "./processes";
import { runCommand } from "./run-command";

// istiod (pilot-discovery) on the lite cluster: a local process, supervised by a small Node
// host (istiod-host.mjs) that is also kube-apiserver's HTTP CONNECT proxy for the `cluster`
// egress, so the API server reaches istiod's webhooks through the istiod Service's ClusterIP.

type Paths = ReturnType<typeof litePaths>;
type Binaries = Record<BinaryName, string>;

export const ISTIOD_HOST = "istiod-host";
const HOST_SCRIPT = join(REPO_ROOT, "lib", "cluster", "drivers", "istiod-host.mjs");

export interface IstiodPorts {
  istiodHttps: number; // webhooks (the pod's 15017)
  istiodHttp: number; // debug, /ready, /version (the pod's 8080)
  istiodGrpc: number; // plain xDS (15010)
  istiodSecureGrpc: number; // xDS and CA over TLS (15012)
  istiodMonitoring: number; // metrics (15014)
}

export async function pickIstiodPorts(taken: number[]): Promise<IstiodPorts> {
  const ports: number[] = [];
  while (ports.length < 5) {
    const port = await findFreePort();
    if (!ports.includes(port) && !taken.includes(port)) ports.push(port);
  }
  const [istiodHttps, istiodHttp, istiodGrpc, istiodSecureGrpc, istiodMonitoring] = ports;
  return { istiodHttps, istiodHttp, istiodGrpc, istiodSecureGrpc, istiodMonitoring };
}

export function istiodPaths(paths: Paths) {
  // A Unix socket path must stay under ~104 bytes; a deep cache dir moves it to /tmp.
  const inDir = join(paths.dir, "egress.sock");
  const hash = createHash("sha256").update(paths.dir).digest("hex").slice(0, 12);
  return {
    dir: join(paths.dir, "istiod"), // istiod's working directory (it writes ./var/run/secrets there)
    config: join(paths.dir, "istiod", "host.json"),
    pidFile: join(paths.dir, "istiod", "istiod.pid"),
    egressConfig: join(paths.dir, "egress-selector.yaml"),
    kwokConfig: join(paths.dir, "kwok.yaml"),
    socket: inDir.length <= 100 ? inDir : join(tmpdir(), `ica-lite-${hash}.sock`),
    log: join(paths.logs, "istiod.log"),
  };
}

/** kube-apiserver's egress selector: `cluster` traffic (webhooks, kubelets) via the host's CONNECT proxy. */
export function writeEgressConfig(paths: Paths): string {
  const files = istiodPaths(paths);
  // transport.tcp without tlsConfig makes kube-apiserver 1.33 panic at start: use a Unix socket.
  const config = {
    apiVersion: "apiserver.k8s.io/v1beta1",
    kind: "EgressSelectorConfiguration",
    egressSelections: [
      { name: "cluster", connection: { proxyProtocol: "HTTPConnect", transport: { uds: { udsName: files.socket } } } },
    ],
  };
  writeFileSync(files.egressConfig, stringify(config));
  return files.egressConfig;
}

/**
 * KWOK's configuration: its fake istiod pods forward 15017/15010/15012/15014 to the local
 * istiod, so `istioctl kube-inject` (which port-forwards to an istiod pod) reaches it.
 */
export function writeKwokConfig(paths: Paths, ports: IstiodPorts): string {
  const files = istiodPaths(paths);
  const forward = (podPort: number, port: number) => ({ ports: [podPort], target: { address: "127.0.0.1", port } });
  const config = {
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "ClusterPortForward",
    metadata: { name: "istiod" },
    spec: {
      selector: { matchNamespaces: ["istio-system"] },
      forwards: [
        forward(15017, ports.istiodHttps),
        forward(15010, ports.istiodGrpc),
        forward(15012, ports.istiodSecureGrpc),
        forward(15014, ports.istiodMonitoring),
      ],
    },
  };
  writeFileSync(files.kwokConfig, stringify(config));
  return files.kwokConfig;
}

/** Starts the host (proxy + supervised istiod); clusterIP is the istiod Service's. */
export function startIstiodHost(bin: Binaries, paths: Paths, ports: IstiodPorts, clusterIP: string): RecordedProcess {
  const files = istiodPaths(paths);
  mkdirSync(files.dir, { recursive: true });
  const local = `127.0.0.1:${ports.istiodHttps}`;
  const host = {
    socket: files.socket,
    map: {
      [`${clusterIP}:443`]: local,
      "istiod.istio-system.svc:443": local,
    },
    istiod: {
      command: bin["pilot-discovery"],
      args: [
        "discovery",
        `--kubeconfig=${paths.kubeconfig}`,
        `--httpsAddr=${local}`,
        `--httpAddr=127.0.0.1:${ports.istiodHttp}`,
        `--grpcAddr=127.0.0.1:${ports.istiodGrpc}`,
        `--secureGRPCAddr=127.0.0.1:${ports.istiodSecureGrpc}`,
        `--monitoringAddr=127.0.0.1:${ports.istiodMonitoring}`,
        "--ctrlz_port=0",
        "--log_output_level=default:info",
      ],
      env: {
        POD_NAMESPACE: "istio-system",
        POD_NAME: "istiod-lite",
        REVISION: "default",
        // The exam's 1.26 puts istio-proxy in `containers`; 1.31 would make it a native sidecar.
        ENABLE_NATIVE_SIDECARS: "false",
        ISTIOD_CUSTOM_HOST: "istiod.istio-system.svc",
        GOMEMLIMIT: MEMORY_LIMITS.istiod,
      },
      cwd: files.dir,
      log: files.log,
      pidFile: files.pidFile,
    },
  };
  writeFileSync(files.config, `${JSON.stringify(host, null, 2)}\n`);
  return spawnDetached(
    ISTIOD_HOST,
    process.execPath,
    [HOST_SCRIPT, files.config],
    join(paths.logs, `${ISTIOD_HOST}.log`),
  );
}

/** The pid of the pilot-discovery the host runs now, if it runs. */
export function readIstiodPid(paths: Paths, binary: string): number | undefined {
  const { pidFile } = istiodPaths(paths);
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!pid) return undefined;
  return isRecordedProcessRunning({ name: "istiod", pid, command: binary }) ? pid : undefined;
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, timeout: 2_000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

export async function isIstiodReady(ports: IstiodPorts): Promise<boolean> {
  return (await httpGet(ports.istiodHttp, "/ready"))?.status === 200;
}

/** The running istiod's version (its /version endpoint), e.g. `1.31-dev-eed52ebb66ad-Clean`. */
export async function readIstiodVersion(ports: IstiodPorts): Promise<string | undefined> {
  const res = await httpGet(ports.istiodMonitoring, "/version");
  return res?.status === 200 ? res.body.trim() : undefined;
}

// A rule with both `route` and `delegate`: Istio's validation refuses it.
const INVALID_VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ica-lite-webhook-probe
  namespace: istio-system
spec:
  hosts: [ica-lite-webhook-probe]
  http:
    - route:
        - destination: { host: ica-lite-webhook-probe }
      delegate: { name: other }
`;

/**
 * Whether kube-apiserver reaches istiod's validating webhook: a server-side dry run of an
 * invalid VirtualService is denied by `validation.istio.io` (true), or the reason it is not.
 */
export async function probeValidationWebhook(kubectlBinary: string, kubeconfig: string): Promise<true | string> {
  const result = await runCommand(
    kubectlBinary,
    ["--kubeconfig", kubeconfig, "create", "--dry-run=server", "-f", "-"],
    { input: INVALID_VS, timeoutMs: 30_000 },
  );
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.code !== 0 && /admission webhook "[^"]*validation\.istio\.io" denied/.test(output)) return true;
  return result.code === 0 ? "an invalid VirtualService was accepted (no validating webhook answered)" : output;
}

/** The istiod Service's ClusterIP (the address kube-apiserver dials for the webhooks). */
export async function readIstiodClusterIP(kubectl: Kubectl): Promise<string> {
  const ip = (
    await kubectl(["get", "service", "istiod", "-n", "istio-system", "-o", "jsonpath={.spec.clusterIP}"])
  ).trim();
  if (!ip) throw new Error("the istiod Service has no ClusterIP");
  return ip;
}

/** `istioctl tag set default --revision default`: the `istiod-default-validator` validates every object. */
export async function setDefaultTag(istioctl: string, kubeconfig: string): Promise<void> {
  const result = await runCommand(
    istioctl,
    [
      "--kubeconfig",
      kubeconfig,
      "tag",
      "set",
      "default",
      "--revision",
      "default",
      "--overwrite",
      "--skip-confirmation",
    ],
    { timeoutMs: 60_000 },
  );
  if (result.code !== 0)
    throw new Error(
      `istioctl tag set default failed (exit ${result.code}):\n${(result.stderr || result.stdout).trim()}`,
    );
}

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { z } from "zod";
import { REPO_ROOT } from "../../paths";
import type { BinaryName } from "../control-plane-binaries";
import { MEMORY_LIMITS, SERVICE_CIDR_PREFIX } from "./lite-components";
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
    status: join(paths.dir, "istiod", "istiods.json"), // written by the host: what runs, pids and ports
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

/** Starts the host: the CONNECT proxy, and a local istiod for every istiod Deployment in the cluster. */
export function startIstiodHost(
  bin: Binaries,
  paths: Paths,
  ports: IstiodPorts,
  apiserver: { port: number; token: string },
): RecordedProcess {
  const files = istiodPaths(paths);
  mkdirSync(files.dir, { recursive: true });
  const host = {
    socket: files.socket,
    apiserver: {
      url: `https://127.0.0.1:${apiserver.port}`,
      caFile: join(paths.pki, "apiserver.crt"),
      token: apiserver.token,
    },
    kubeconfig: paths.kubeconfig,
    pilotDiscovery: bin["pilot-discovery"],
    dir: files.dir,
    logs: paths.logs,
    fixedPorts: {
      https: ports.istiodHttps,
      http: ports.istiodHttp,
      grpc: ports.istiodGrpc,
      secureGrpc: ports.istiodSecureGrpc,
      monitoring: ports.istiodMonitoring,
    },
    env: { GOMEMLIMIT: MEMORY_LIMITS.istiod },
    serviceCidrPrefix: SERVICE_CIDR_PREFIX,
    pollMs: 1_000,
  };
  writeFileSync(files.config, `${JSON.stringify(host, null, 2)}\n`, { mode: 0o600 });
  return spawnDetached(
    ISTIOD_HOST,
    process.execPath,
    [HOST_SCRIPT, files.config],
    join(paths.logs, `${ISTIOD_HOST}.log`),
  );
}

const ZRunningIstiod = z.object({
  key: z.string(),
  namespace: z.string(),
  deployment: z.string(),
  revision: z.string(),
  pid: z.number().int().nullable(),
  ports: z.object({
    https: z.number(),
    http: z.number(),
    grpc: z.number(),
    secureGrpc: z.number(),
    monitoring: z.number(),
  }),
  log: z.string(),
  startedAt: z.string(),
});
export type RunningIstiod = z.infer<typeof ZRunningIstiod>;

/** The istiods the host runs now (istiods.json), each with its pid when its process is alive. */
export function readRunningIstiods(paths: Paths, binary: string): RunningIstiod[] {
  const { status } = istiodPaths(paths);
  if (!existsSync(/* turbopackIgnore: true */ status)) return [];
  try {
    const parsed = z
      .object({ istiods: z.array(ZRunningIstiod) })
      .parse(JSON.parse(readFileSync(/* turbopackIgnore: true */ status, "utf8")));
    return parsed.istiods.map((i) => ({
      ...i,
      pid: i.pid && isRecordedProcessRunning({ name: "istiod", pid: i.pid, command: binary }) ? i.pid : null,
    }));
  } catch {
    return []; // a torn write: the host writes it again within a second
  }
}

/** The pid of istio-system/istiod's local istiod (the practice cluster's), if it runs. */
export function readIstiodPid(paths: Paths, binary: string): number | undefined {
  return readRunningIstiods(paths, binary).find((i) => i.key === "istio-system/istiod")?.pid ?? undefined;
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
export async function readIstiodVersion(monitoringPort: number): Promise<string | undefined> {
  const res = await httpGet(monitoringPort, "/version");
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

// What stops the kind driver, each said with what to do: Docker missing or not running, kind
// missing or too old, too little memory for Docker, ports 80/443 taken, a cluster of another
// Istio version. Every check returns its finding; `KindError` carries it to the CLI.
import { createServer } from "node:net";
import { INGRESS_PORTS, KIND_CLUSTER, KIND_MIN_VERSION, MIN_MEMORY_BYTES } from "./kind-plan";
import type { ToolRun } from "./kind-run";

export type KindProblem =
  | "docker-missing"
  | "docker-not-running"
  | "kind-missing"
  | "kind-too-old"
  | "memory"
  | "port-taken"
  | "istio-version"
  | "istioctl"
  | "kubectl";

/** A finding: what is wrong (`summary`, one line) and what to do, in `message`. */
export class KindError extends Error {
  override name = "KindError";
  constructor(
    readonly problem: KindProblem,
    readonly summary: string,
    todo: string,
  ) {
    super(`${summary}. ${todo}`);
  }
}

const USE_LITE = "or use the lite driver, which needs no Docker: npm run cluster -- up --driver lite";
const GIB = 1024 ** 3;

export interface DockerInfo {
  serverVersion: string;
  memoryBytes: number;
}

/** `docker info` answers: Docker is installed and its engine runs. */
export async function checkDocker(run: ToolRun): Promise<DockerInfo> {
  const result = await run("docker", ["info", "--format", "{{json .}}"], { timeoutS: 20 });
  if (result.missing) {
    throw new KindError(
      "docker-missing",
      "Docker is not installed (no docker on PATH)",
      `Install Docker (https://docs.docker.com/get-docker/) and start it, ${USE_LITE}`,
    );
  }
  const info = result.code === 0 ? parseJson(result.stdout) : undefined;
  if (!info?.ServerVersion) {
    const said = firstLine(result.stderr || result.stdout) || `exit ${result.code}`;
    throw new KindError(
      "docker-not-running",
      `Docker is not running (docker info: ${said})`,
      `Start it (Docker Desktop, or: sudo systemctl start docker) and try again, ${USE_LITE}`,
    );
  }
  return { serverVersion: String(info.ServerVersion), memoryBytes: Number(info.MemTotal ?? 0) };
}

/** `kind version` answers with a version at least KIND_MIN_VERSION; returns it. */
export async function checkKind(run: ToolRun): Promise<string> {
  const install = `Install kind v${KIND_MIN_VERSION} or newer (https://kind.sigs.k8s.io/docs/user/quick-start/#installation, or: go install sigs.k8s.io/kind@v${KIND_MIN_VERSION})`;
  const result = await run("kind", ["version"], { timeoutS: 20 });
  if (result.missing || result.code !== 0) {
    const why = result.missing
      ? "not installed (no kind on PATH)"
      : `not working (kind version: ${firstLine(result.stderr)})`;
    throw new KindError("kind-missing", `kind is ${why}`, `${install}, ${USE_LITE}`);
  }
  const version = /kind v(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1];
  if (!version || compareVersions(version, KIND_MIN_VERSION) < 0) {
    throw new KindError(
      "kind-too-old",
      `kind ${version ? `v${version}` : `"${result.stdout.trim()}"`} is too old: the pinned node image needs kind v${KIND_MIN_VERSION} or newer`,
      `${install}.`,
    );
  }
  return version;
}

export function checkMemory(info: DockerInfo): void {
  if (info.memoryBytes >= MIN_MEMORY_BYTES) return;
  throw new KindError(
    "memory",
    `Docker has ${(info.memoryBytes / GIB).toFixed(1)} GiB of memory; a kind cluster with Istio and the sample apps needs at least ${MIN_MEMORY_BYTES / GIB} GiB`,
    "Give Docker more (Docker Desktop: Settings > Resources > Memory), or close what uses it, and try again.",
  );
}

/** Whether something listens on host:port (binding it fails with EADDRINUSE). */
function isPortTaken(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    // EACCES (a port below 1024 for a user) says nothing: Docker binds it as root.
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** The ingress gateway's host ports are free on 127.0.0.1 (checked before a cluster is created). */
export async function checkPorts(ports: number[] = INGRESS_PORTS.map((p) => p.hostPort), host = "127.0.0.1") {
  const taken: number[] = [];
  for (const port of ports) if (await isPortTaken(port, host)) taken.push(port);
  if (taken.length === 0) return;
  const list = taken.join(" and ");
  throw new KindError(
    "port-taken",
    `Port ${list} on ${host} ${taken.length > 1 ? "are" : "is"} in use; the kind cluster publishes the ingress gateway there`,
    `Stop what listens (find it with: sudo ss -ltnp 'sport = :${taken[0]}', or lsof -i :${taken[0]}) and try again.`,
  );
}

export function istioVersionMismatch(installed: string, wanted: string): KindError {
  return new KindError(
    "istio-version",
    `The kind cluster ${KIND_CLUSTER} runs Istio ${installed}, not the exam's ${wanted} (ICA_ISTIO_VERSION)`,
    `Recreate it: npm run cluster -- down --driver kind && npm run cluster -- up --driver kind (or set ICA_ISTIO_VERSION=${installed} to keep it).`,
  );
}

/** For `up` without --driver: kind when Docker answers and kind works, else why not. */
export async function detectKind(run: ToolRun): Promise<{ usable: boolean; reason: string }> {
  try {
    const docker = await checkDocker(run);
    const kind = await checkKind(run);
    return { usable: true, reason: `Docker ${docker.serverVersion} answers and kind v${kind} works` };
  } catch (error) {
    if (error instanceof KindError) return { usable: false, reason: error.summary };
    throw error;
  }
}

/** -1, 0 or 1, comparing dotted numbers (1.26.8 < 1.26.10). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const firstLine = (text: string) => text.trim().split("\n")[0] ?? "";

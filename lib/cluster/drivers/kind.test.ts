// The kind driver's flow against stand-in docker, kind, kubectl and istioctl (no Docker engine
// here): the recorded commands of up, a reuse, repairs, down, status and --dry-run.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { createStandins } from "../../../tests/fixtures/kind-standins/standins";
import { createKindDriver } from "./kind";
import { KIND_NODE_IMAGE } from "./kind-plan";

const GATEWAY_API = "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml";
const KC = "<tmp>/cache/kind/kubeconfig";
const SAMPLES = ["curl", "helloworld", "httpbin"].map((s) => `-f ${path.resolve("lib/cluster/samples", `${s}.yaml`)}`);
const PROBER = [
  `kubectl --kubeconfig ${KC} apply --server-side -f ${path.resolve("lib/cluster/prober/prober.yaml")}`,
  `kubectl --kubeconfig ${KC} wait --for=condition=Available deployment/ica-prober deployment/ica-prober-plain -n ica-prober --timeout=180s`,
];

const PREFLIGHT = [
  "docker info --format {{json .}}",
  "kind version",
  "kubectl version --client -o json",
  "istioctl version --remote=false -o json",
];
const FRESH = [
  `kind create cluster --name ica-practice --image ${KIND_NODE_IMAGE} --config <tmp>/cache/kind/kind-config.yaml --kubeconfig ${KC} --wait 180s`,
  `kubectl --kubeconfig ${KC} apply --server-side --force-conflicts -f ${GATEWAY_API}`,
  `kubectl --kubeconfig ${KC} wait --for=condition=Established crd --all --timeout=60s`,
  `istioctl install --kubeconfig ${KC} -f <tmp>/cache/kind/istio-operator.yaml --readiness-timeout 300s -y`,
  `kubectl --kubeconfig ${KC} apply --server-side -f -`,
  `kubectl --kubeconfig ${KC} apply --server-side -n samples ${SAMPLES.join(" ")}`,
  `kubectl --kubeconfig ${KC} wait --for=condition=Available deployment --all -n istio-system --timeout=300s`,
  `kubectl --kubeconfig ${KC} wait --for=condition=Available deployment --all -n samples --timeout=300s`,
  ...PROBER,
];
const GRADER = [
  `kubectl --kubeconfig ${KC} apply --server-side -f -`,
  `kubectl --kubeconfig ${KC} create token ica-grader -n kube-system --duration=8760h`,
];
const INSPECT = [
  `kubectl --kubeconfig ${KC} version -o json`,
  `kubectl --kubeconfig ${KC} get deployments -A -o json`,
  `kubectl --kubeconfig ${KC} get crd gateways.gateway.networking.k8s.io -o json`,
];
const REUSE_START = ["kind get clusters", "docker inspect -f {{.State.Running}} ica-practice-control-plane"];
const READYZ = `kubectl --kubeconfig ${KC} get --raw /readyz`;
const HEALTHY = {
  clusters: ["ica-practice"],
  nodeRunning: true,
  istio: "1.26.8",
  gatewayApi: true,
  samples: true,
  grader: true,
  prober: true,
};

// Each stand-in call starts node (about 0.1-0.3 s): an up makes 17 of them.
vi.setConfig({ testTimeout: 30_000 });

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** Two ports nothing listens on (the driver checks these instead of 80/443). */
async function freePorts(): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < 2; i++) {
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    ports.push((s.address() as { port: number }).port);
    await new Promise((resolve) => s.close(resolve));
  }
  return ports;
}

async function setUp(options: Parameters<typeof createStandins>[0] = {}) {
  const standins = createStandins(options);
  const lines: string[] = [];
  const driver = createKindDriver({ env: standins.env, ports: await freePorts(), print: (l) => lines.push(l) });
  return { standins, driver, progress: (line: string) => lines.push(line), lines };
}

describe("kind driver up", () => {
  it("creates the cluster and installs every piece, in order", async () => {
    const { standins, driver, progress, lines } = await setUp();
    const result = await driver.up(progress);
    expect(result).toEqual({ kubeconfig: path.join(standins.dir, "cache/kind/kubeconfig"), reused: false });
    expect(standins.calls()).toEqual([...PREFLIGHT, "kind get clusters", ...FRESH, ...GRADER]);
    expect(standins.state()).toMatchObject(HEALTHY);
    // Check's read-only credential: the admin kubeconfig's server, the ServiceAccount's token
    const grader = parse(readFileSync(path.join(standins.dir, "cache/kind/grader-kubeconfig"), "utf8"));
    expect(grader).toMatchObject({
      "current-context": "kind-ica-practice",
      clusters: [{ name: "kind-ica-practice", cluster: { server: "https://127.0.0.1:41234" } }],
      users: [{ name: "kind-ica-practice-ica-grader", user: { token: "standin-grader-token" } }],
    });
    expect(lines).toContain("giving Check read-only access (ServiceAccount kube-system/ica-grader: get, list, watch)");
    expect(readFileSync(path.join(standins.dir, "cache/kind/kind-config.yaml"), "utf8")).toContain("hostPort: 80");
    expect(lines).toContain(
      "installing Istio 1.26.8 (istioctl install, default profile; pulls istiod and proxy images)",
    );
    // the prober comes after istiod is Available (its webhook injects the sidecar), with progress
    expect(lines).toContain(
      "deploying the prober for traffic checks (namespace ica-prober: curl with and without a sidecar)",
    );
    expect(lines).toContain("waiting for the prober (ica-prober, ica-prober-plain) in ica-prober to be available");
    const operator = parse(readFileSync(path.join(standins.dir, "cache/kind/istio-operator.yaml"), "utf8"));
    expect(operator.spec.meshConfig).toBeUndefined();
    expect(lines.at(-1)).toMatch(
      /^kind cluster ica-practice up in \d+ s: Istio 1.26.8, ingress on 127.0.0.1:80 and :443$/,
    );
    // the terminal's PATH gets the release istioctl
    expect(existsSync(path.join(standins.dir, "cache/kind/bin/istioctl"))).toBe(true);
  });

  it("reuses a healthy cluster and installs nothing", async () => {
    const { standins, driver, progress, lines } = await setUp({ state: HEALTHY });
    mkdirSync(path.dirname(driver.kubeconfigPath()), { recursive: true });
    writeFileSync(driver.kubeconfigPath(), "apiVersion: v1\nkind: Config\n");
    writeFileSync(path.join(path.dirname(driver.kubeconfigPath()), "grader-kubeconfig"), "apiVersion: v1\n");
    const result = await driver.up(progress);
    expect(result.reused).toBe(true);
    expect(standins.calls()).toEqual([...PREFLIGHT, ...REUSE_START, READYZ, ...INSPECT]);
    expect(lines).toContain("reusing the kind cluster ica-practice (Istio 1.26.8)");
  });

  it("repairs a stopped node, a lost kubeconfig and missing samples and Gateway API CRDs", async () => {
    const state = { ...HEALTHY, nodeRunning: false, samples: false, gatewayApi: false, prober: false };
    const { standins, driver, progress, lines } = await setUp({ state });
    await driver.up(progress);
    expect(standins.calls()).toEqual([
      ...PREFLIGHT,
      ...REUSE_START,
      "docker start ica-practice-control-plane",
      `kind export kubeconfig --name ica-practice --kubeconfig ${KC}`,
      READYZ,
      ...INSPECT,
      FRESH[1],
      FRESH[2],
      FRESH[4],
      FRESH[5],
      FRESH[6],
      FRESH[7],
      ...PROBER, // after the waits
      ...GRADER, // no grader kubeconfig yet
    ]);
    expect(lines).toContain(
      "reusing the kind cluster ica-practice; installing what it lacks: the Gateway API CRDs, the sample apps, the prober (traffic checks)",
    );
    expect(standins.state()).toMatchObject(HEALTHY);
  });

  it("deploys the prober again into a reused cluster that lost it, and nothing else", async () => {
    const { standins, driver, progress, lines } = await setUp({ state: { ...HEALTHY, prober: false } });
    mkdirSync(path.dirname(driver.kubeconfigPath()), { recursive: true });
    writeFileSync(driver.kubeconfigPath(), "apiVersion: v1\nkind: Config\n");
    writeFileSync(path.join(path.dirname(driver.kubeconfigPath()), "grader-kubeconfig"), "apiVersion: v1\n");
    const before = await driver.status();
    expect(before.running).toBe(false);
    expect(before.details).toContain("prober (traffic checks): missing (up deploys it)");
    expect(before.pieces?.find((p) => p.name === "prober")).toEqual({
      name: "prober",
      isReady: false,
      detail: "missing",
    });
    const from = standins.calls().length;
    await driver.up(progress);
    expect(standins.calls().slice(from)).toEqual([...PREFLIGHT, ...REUSE_START, READYZ, ...INSPECT, ...PROBER]);
    expect(lines).toContain(
      "reusing the kind cluster ica-practice; installing what it lacks: the prober (traffic checks)",
    );
    expect(standins.state().prober).toBe(true);
    expect((await driver.status()).running).toBe(true);
  });

  it("waits for a prober that is there but not ready, without applying it again", async () => {
    const { standins, driver, progress } = await setUp({ state: HEALTHY, env: { KIND_STANDIN_UNREADY: "1" } });
    mkdirSync(path.dirname(driver.kubeconfigPath()), { recursive: true });
    writeFileSync(driver.kubeconfigPath(), "apiVersion: v1\nkind: Config\n");
    writeFileSync(path.join(path.dirname(driver.kubeconfigPath()), "grader-kubeconfig"), "apiVersion: v1\n");
    await driver.up(progress);
    expect(standins.calls().slice(-3)).toEqual([FRESH[6], FRESH[7], PROBER[1]]);
    expect(standins.calls().filter((c) => c.includes("prober.yaml"))).toEqual([]);
  });

  it("gives a reused cluster without Check's credential a new one", async () => {
    const { standins, driver, progress } = await setUp({ state: { ...HEALTHY, grader: false } });
    await driver.up(progress);
    expect(standins.calls().slice(-2)).toEqual(GRADER);
    expect(existsSync(path.join(path.dirname(driver.kubeconfigPath()), "grader-kubeconfig"))).toBe(true);
    expect((await driver.status()).running).toBe(true);
  });

  it("installs Istio into a cluster that lost it", async () => {
    const { standins, driver, progress } = await setUp({ state: { ...HEALTHY, istio: null } });
    await driver.up(progress);
    expect(standins.calls()).toContain(FRESH[3]);
    expect(standins.state().istio).toBe("1.26.8");
  });

  it("refuses a cluster of another Istio version and says how to recreate it", async () => {
    const { standins, driver, progress } = await setUp({ state: { ...HEALTHY, istio: "1.25.2" } });
    await expect(driver.up(progress)).rejects.toThrow(
      "The kind cluster ica-practice runs Istio 1.25.2, not the exam's 1.26.8 (ICA_ISTIO_VERSION). Recreate it: npm run cluster -- down --driver kind && npm run cluster -- up --driver kind (or set ICA_ISTIO_VERSION=1.25.2 to keep it).",
    );
    expect(standins.calls().filter((c) => / install | apply /.test(c))).toEqual([]);
  });

  it("stops with istioctl's own words when the install fails", async () => {
    const { driver, progress } = await setUp({ env: { KIND_STANDIN_FAIL: "istioctl:install" } });
    await expect(driver.up(progress)).rejects.toThrow(
      /^installing Istio 1.26.8 \(istioctl install, default profile; pulls istiod and proxy images\): istioctl failed \(exit 1\):\n.*resources not ready after 5m0s/s,
    );
  });
});

describe("kind driver diagnostics", () => {
  const LITE = "or use the lite driver, which needs no Docker: npm run cluster -- up --driver lite";
  const cases: [string, Parameters<typeof createStandins>[0], string][] = [
    [
      "Docker not running",
      { env: { KIND_STANDIN_DOCKER: "not-running" } },
      `Docker is not running (docker info: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?). Start it (Docker Desktop, or: sudo systemctl start docker) and try again, ${LITE}`,
    ],
    [
      "Docker missing",
      { without: ["docker"] },
      `Docker is not installed (no docker on PATH). Install Docker (https://docs.docker.com/get-docker/) and start it, ${LITE}`,
    ],
    [
      "kind missing",
      { without: ["kind"] },
      `kind is not installed (no kind on PATH). Install kind v0.29.0 or newer (https://kind.sigs.k8s.io/docs/user/quick-start/#installation, or: go install sigs.k8s.io/kind@v0.29.0), ${LITE}`,
    ],
    [
      "kind too old",
      { env: { KIND_STANDIN_KIND_VERSION: "0.20.0" } },
      "kind v0.20.0 is too old: the pinned node image needs kind v0.29.0 or newer. Install kind v0.29.0 or newer (https://kind.sigs.k8s.io/docs/user/quick-start/#installation, or: go install sigs.k8s.io/kind@v0.29.0).",
    ],
    [
      "not enough memory",
      { env: { KIND_STANDIN_DOCKER_MEMORY: String(2 * 1024 ** 3) } },
      "Docker has 2.0 GiB of memory; a kind cluster with Istio and the sample apps needs at least 4 GiB. Give Docker more (Docker Desktop: Settings > Resources > Memory), or close what uses it, and try again.",
    ],
    [
      "kubectl missing",
      { without: ["kubectl"] },
      "kubectl is not installed (no kubectl on PATH). Install kubectl (https://kubernetes.io/docs/tasks/tools/), or build the pinned one: npm run cluster -- up --driver lite.",
    ],
    [
      "a development istioctl",
      { env: { KIND_STANDIN_ISTIOCTL_VERSION: "1.31-dev" } },
      "is istioctl 1.31-dev, a development build: its images are not published, so it cannot install Istio on kind. Unset ICA_ISTIOCTL to download the official 1.26.8 release, or point it at one.",
    ],
    [
      "an istioctl of another version",
      { env: { KIND_STANDIN_ISTIOCTL_VERSION: "1.25.2" } },
      "is istioctl 1.25.2, not the exam's 1.26.8 (ICA_ISTIO_VERSION). Point ICA_ISTIOCTL at an istioctl 1.26.8, or set ICA_ISTIO_VERSION=1.25.2.",
    ],
  ];
  for (const [name, options, message] of cases) {
    it(`${name}: says what to do and creates nothing`, async () => {
      const { standins, driver, progress } = await setUp(options);
      await expect(driver.up(progress)).rejects.toThrow(message);
      expect(standins.calls().filter((c) => c.startsWith("kind create"))).toEqual([]);
    });
  }

  it("ports 80/443 taken: names the port and how to find what holds it", async () => {
    const standins = createStandins();
    const [free] = await freePorts();
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    const driver = createKindDriver({ env: standins.env, ports: [free, port] });
    await expect(driver.up(() => {})).rejects.toThrow(
      `Port ${port} on 127.0.0.1 is in use; the kind cluster publishes the ingress gateway there. Stop what listens (find it with: sudo ss -ltnp 'sport = :${port}', or lsof -i :${port}) and try again.`,
    );
    expect(standins.calls().at(-1)).toBe("kind get clusters");
  });
});

describe("kind driver down, status, dry run", () => {
  it("down deletes the cluster and its files", async () => {
    const { standins, driver, progress } = await setUp();
    await driver.up(progress);
    const before = standins.calls().length;
    await driver.down(progress);
    expect(standins.calls().slice(before)).toEqual([
      "docker info --format {{json .}}",
      "kind version",
      "kind get clusters",
      `kind delete cluster --name ica-practice --kubeconfig ${KC}`,
    ]);
    expect(existsSync(driver.kubeconfigPath())).toBe(false);
    expect(existsSync(path.join(path.dirname(driver.kubeconfigPath()), "grader-kubeconfig"))).toBe(false);
    expect(standins.state().clusters).toEqual([]);
  });

  it("status: driver, versions and each piece's readiness", async () => {
    const { driver, progress } = await setUp();
    expect((await driver.status()).running).toBe(false);
    await driver.up(progress);
    const status = await driver.status();
    expect(status.running).toBe(true);
    expect(status.details).toEqual([
      `cluster: ica-practice (node image ${KIND_NODE_IMAGE})`,
      "node ica-practice-control-plane: running",
      "Kubernetes: v1.33.1",
      "Istio: 1.26.8",
      "istiod: 1/1 available",
      "istio-ingressgateway: 1/1 available (published on 127.0.0.1:80, 127.0.0.1:443)",
      "Gateway API CRDs: v1.3.0",
      "sample apps: curl 1/1 available, helloworld-v1 1/1 available, helloworld-v2 1/1 available, httpbin 1/1 available",
      "prober (traffic checks): ica-prober 1/1 available, ica-prober-plain 1/1 available",
      `Check's read-only credential: ${path.dirname(driver.kubeconfigPath())}/grader-kubeconfig`,
    ]);
    // what the cluster bar shows
    expect(status).toMatchObject({ kubernetesVersion: "v1.33.1", istioVersion: "1.26.8" });
    expect(status.pieces?.map((p) => `${p.name} ${p.isReady}`)).toEqual([
      "Istio true",
      "istiod true",
      "istio-ingressgateway true",
      "curl true",
      "helloworld-v1 true",
      "helloworld-v2 true",
      "httpbin true",
      "prober true",
      "Gateway API CRDs true",
      "Check's credential true",
    ]);
  });

  it("status of a cluster without Docker says why it is not running", async () => {
    const { driver } = await setUp({ env: { KIND_STANDIN_DOCKER: "not-running" } });
    const status = await driver.status();
    expect(status.running).toBe(false);
    expect(status.details.at(-1)).toMatch(/^Docker is not running \(docker info: Cannot connect/);
  });

  it("--dry-run prints every command of up in order and runs none", async () => {
    const standins = createStandins();
    const lines: string[] = [];
    const driver = createKindDriver({ env: standins.env, dryRun: true, print: (l) => lines.push(l) });
    await driver.up(() => {});
    expect(standins.calls()).toEqual([]);
    const commands = lines.map((l) =>
      l.replaceAll(`${standins.dir}/bin/istioctl `, "istioctl ").replaceAll(standins.dir, "<tmp>"),
    );
    expect(commands[1]).toContain(KIND_NODE_IMAGE);
    const planned = commands.filter((l) => /^(docker|kind|kubectl|istioctl) /.test(l));
    const fresh = [...FRESH, ...GRADER].map((c) => (c.endsWith("-f -") ? `${c} <<EOF` : c));
    expect(planned.map((l) => l.split("\n")[0])).toEqual([
      "docker info --format '{{json .}}'",
      "kind version",
      "kubectl version --client -o json",
      "istioctl version --remote=false -o json",
      "kind get clusters",
      ...fresh,
    ]);
    expect(lines.at(-1)).toBe(
      `write ${standins.dir}/cache/kind/grader-kubeconfig: the server and CA of ${standins.dir}/cache/kind/kubeconfig, the token above`,
    );
    expect(lines.join("\n")).toContain("kind: ClusterRoleBinding");
    // the prober's apply and wait are in the plan, after the waits for istio-system and samples
    expect(planned.slice(-4, -2)).toEqual(PROBER);
    expect(lines.join("\n")).not.toContain("accessLogFile");
    expect(existsSync(path.join(standins.dir, "cache"))).toBe(false);
  });

  it("--dry-run of down prints the delete and runs nothing", async () => {
    const standins = createStandins();
    const lines: string[] = [];
    await createKindDriver({ env: standins.env, dryRun: true, print: (l) => lines.push(l) }).down(() => {});
    expect(standins.calls()).toEqual([]);
    expect(lines.join("\n")).toContain(
      `kind delete cluster --name ica-practice --kubeconfig ${standins.dir}/cache/kind/kubeconfig`,
    );
    rmSync(standins.dir, { recursive: true, force: true });
  });
});

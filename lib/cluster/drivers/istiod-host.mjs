// The lite driver's istiod host: one small Node process that `up` starts detached (plain
// JavaScript, so it needs no loader and stays small) and `down` stops with SIGTERM. It
//  - follows the cluster's istiod Deployments (label app=istiod, any namespace): for each one
//    with replicas above zero it runs a local pilot-discovery with that Deployment's arguments
//    and environment (its revision among them), restarts it when it dies (backoff 1 s doubling
//    to 10 s, reset after a run of 30 s) or when the Deployment's container changes, and stops
//    it when the Deployment is scaled to zero or deleted. So `istioctl install`, Helm and a
//    canary revision get an istiod that answers, and scaling istiod to zero behaves as on a
//    real cluster;
//  - is kube-apiserver's HTTP CONNECT proxy for the `cluster` egress (a Unix socket, see
//    --egress-selector-config-file): a CONNECT to a port of a Service that selects an istiod's
//    pods (by ClusterIP or by <name>.<namespace>.svc) goes to that istiod's local port; any
//    other Service address gets 502 at once (nothing serves it here); anything else (a kubelet,
//    i.e. KWOK) is dialled as asked.
// The first istiod of revision `default` gets the fixed ports `up` chose (KWOK forwards the
// istiod pods' ports there, and the driver probes them); others get free ports. What runs is
// written to istiods.json (pids, ports, logs) for the driver's status and for `down`.
// Usage: node istiod-host.mjs <config.json>
//   config: { socket, apiserver: { url, caFile, token }, kubeconfig, pilotDiscovery, dir, logs,
//             fixedPorts: { https, http, grpc, secureGrpc, monitoring }, env, serviceCidrPrefix,
//             pollMs }
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect, createServer as createNetServer } from "node:net";
import { join } from "node:path";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const say = (message) => console.log(`${new Date().toISOString()} istiod-host: ${message}`);
const statusFile = join(config.dir, "istiods.json");
// kube-apiserver wrote its serving certificate before `up` started this host; it lives as long as the cluster
const apiserverCa = readFileSync(config.apiserver.caFile);

// The pod ports of istiod's container and the local listener each one becomes.
const POD_PORTS = { 15017: "https", 8080: "http", 15010: "grpc", 15012: "secureGrpc", 15014: "monitoring" };
// Flags that set where istiod listens or which cluster it reads: ours replace the Deployment's.
const OWN_FLAGS = [
  "--httpsAddr",
  "--httpAddr",
  "--grpcAddr",
  "--secureGRPCAddr",
  "--monitoringAddr",
  "--ctrlz_port",
  "--kubeconfig",
];

// --- what the cluster asks for -------------------------------------------------------------
function getJson(path) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${config.apiserver.url}${path}`,
      {
        ca: apiserverCa,
        headers: { authorization: `Bearer ${config.apiserver.token}` },
        timeout: 5_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () =>
          res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`GET ${path}: ${res.statusCode}`)),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`GET ${path}: timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/** The pilot-discovery a Deployment asks for: arguments and environment as its pod would get them. */
function istiodOf(deployment) {
  const { name, namespace } = deployment.metadata;
  const pod = deployment.spec.template;
  const container = pod.spec.containers.find((c) => c.name === "discovery") ?? pod.spec.containers[0];
  const fields = {
    "metadata.name": `${name}-local`,
    "metadata.namespace": namespace,
    "spec.serviceAccountName": pod.spec.serviceAccountName ?? "default",
    "spec.nodeName": "lite-node-0",
    "status.podIP": "127.0.0.1",
    "status.hostIP": "127.0.0.1",
  };
  const env = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef && fields[e.valueFrom.fieldRef.fieldPath] !== undefined)
      env[e.name] = fields[e.valueFrom.fieldRef.fieldPath];
    // resourceFieldRef (GOMEMLIMIT, GOMAXPROCS) and secret/configMap refs: ours below or none
  }
  const args = [];
  const given = container.args ?? [];
  for (let i = 0; i < given.length; i++) {
    const flag = given[i].split("=")[0];
    if (!OWN_FLAGS.includes(flag)) args.push(given[i]);
    else if (!given[i].includes("=")) i++; // its value is the next argument
  }
  if (args[0] !== "discovery") args.unshift("discovery");
  return {
    key: `${namespace}/${name}`,
    namespace,
    deployment: name,
    revision: env.REVISION || "default",
    podLabels: pod.metadata?.labels ?? {},
    containerPorts: container.ports ?? [],
    args,
    env: {
      ENABLE_NATIVE_SIDECARS: "false", // the exam's 1.26 puts istio-proxy in `containers`
      ...env,
      ...config.env,
      POD_NAMESPACE: env.POD_NAMESPACE ?? namespace,
      REVISION: env.REVISION ?? "default",
      KUBECONFIG: config.kubeconfig,
    },
  };
}

const wants = (deployment) => !deployment.metadata.deletionTimestamp && (deployment.spec.replicas ?? 1) > 0;

// --- the istiods this host runs --------------------------------------------------------------
/** key → { spec, hash, ports, child, startedAt, backoffMs, log, cwd } */
const running = new Map();
let services = [];
/** the istiods the Deployments ask for (some may still be starting) */
let wanted = [];
let stopping = false;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function portsFor(spec) {
  const fixedTaken = [...running.values()].some((r) => r.ports === config.fixedPorts);
  if (spec.revision === "default" && !fixedTaken) return config.fixedPorts;
  const ports = {};
  for (const name of Object.values(POD_PORTS)) ports[name] = await freePort();
  return ports;
}

function argsWithPorts(spec, ports) {
  return [
    ...spec.args,
    `--kubeconfig=${config.kubeconfig}`,
    `--httpsAddr=127.0.0.1:${ports.https}`,
    `--httpAddr=127.0.0.1:${ports.http}`,
    `--grpcAddr=127.0.0.1:${ports.grpc}`,
    `--secureGRPCAddr=127.0.0.1:${ports.secureGrpc}`,
    `--monitoringAddr=127.0.0.1:${ports.monitoring}`,
    "--ctrlz_port=0",
  ];
}

function logNameOf(spec) {
  if (spec.key === "istio-system/istiod") return "istiod.log";
  return `istiod-${spec.namespace === "istio-system" ? "" : `${spec.namespace}-`}${spec.deployment.replace(/^istiod-?/, "") || "default"}.log`;
}

function start(entry) {
  const { spec, ports } = entry;
  mkdirSync(entry.cwd, { recursive: true }); // istiod writes ./var/run/secrets there
  const fd = openSync(entry.log, "a");
  try {
    entry.child = spawn(config.pilotDiscovery, argsWithPorts(spec, ports), {
      cwd: entry.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  entry.startedAt = Date.now();
  const child = entry.child;
  child.once("error", (error) => say(`could not start istiod ${spec.key}: ${error.message}`));
  say(`istiod ${spec.key} (revision ${spec.revision}) started, pid ${child.pid}, https 127.0.0.1:${ports.https}`);
  child.once("exit", (code, signal) => {
    if (entry.child === child) entry.child = undefined;
    writeStatus();
    if (stopping || entry.removed || entry.replacing) return;
    if (Date.now() - entry.startedAt > 30_000) entry.backoffMs = 1_000;
    say(`istiod ${spec.key} exited (${signal ?? `code ${code}`}); restarting in ${entry.backoffMs / 1000} s`);
    setTimeout(() => {
      if (!stopping && !entry.removed && !entry.child) {
        start(entry);
        writeStatus();
      }
    }, entry.backoffMs);
    entry.backoffMs = Math.min(entry.backoffMs * 2, 10_000);
  });
}

function stop(entry) {
  const child = entry.child;
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 8_000).unref();
  });
}

/** One look at the cluster at a time: the loop's and a caller's share it. */
let inFlight;
function reconcileOnce() {
  inFlight ??= reconcile().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function reconcile() {
  const deployments = (await getJson("/apis/apps/v1/deployments?labelSelector=app%3Distiod")).items;
  const namespaces = [...new Set(deployments.map((d) => d.metadata.namespace))];
  const found = [];
  for (const ns of namespaces) found.push(...(await getJson(`/api/v1/namespaces/${ns}/services`)).items);
  services = found;
  const desired = new Map(
    deployments.filter(wants).map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, istiodOf(d)]),
  );
  wanted = [...desired.values()];

  for (const [key, entry] of running) {
    if (desired.has(key)) continue;
    entry.removed = true;
    running.delete(key);
    say(`istiod ${key}: Deployment scaled to zero or removed; stopping it`);
    await stop(entry);
  }
  // Revision `default` first, so it gets the fixed ports.
  const ordered = [...desired.values()].sort(
    (a, b) => (a.revision === "default" ? 0 : 1) - (b.revision === "default" ? 0 : 1),
  );
  for (const spec of ordered) {
    const hash = JSON.stringify([spec.args, spec.env]);
    const entry = running.get(spec.key);
    if (entry && entry.hash === hash) {
      entry.spec = spec; // labels and ports may change without a restart
      continue;
    }
    if (entry) {
      say(`istiod ${spec.key}: its Deployment changed; restarting it`);
      entry.replacing = true;
      await stop(entry);
      entry.replacing = false;
      Object.assign(entry, { spec, hash, backoffMs: 1_000 });
      start(entry);
      continue;
    }
    const ports = await portsFor(spec);
    const created = {
      spec,
      hash,
      ports,
      backoffMs: 1_000,
      cwd: join(config.dir, `${spec.namespace}.${spec.deployment}`),
      log: join(config.logs, logNameOf(spec)),
    };
    running.set(spec.key, created);
    start(created);
  }
  writeStatus();
}

function writeStatus() {
  const istiods = [...running.values()].map((e) => ({
    key: e.spec.key,
    namespace: e.spec.namespace,
    deployment: e.spec.deployment,
    revision: e.spec.revision,
    pid: e.child?.pid ?? null,
    ports: e.ports,
    log: e.log,
    startedAt: new Date(e.startedAt).toISOString(),
  }));
  const tmp = `${statusFile}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ updatedAt: new Date().toISOString(), istiods }, null, 2)}\n`);
  renameSync(tmp, statusFile);
}

// --- routing Service addresses to the local istiods -----------------------------------------
const selects = (selector, labels) =>
  Object.keys(selector ?? {}).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

function splitAddress(address) {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(address.slice(at + 1)) };
}

const servicesAt = (host) =>
  services.filter((svc) => {
    const { name, namespace } = svc.metadata;
    return [svc.spec.clusterIP, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`].includes(host);
  });

/**
 * Whether the Service at that address selects an istiod that a Deployment asks for: it is
 * starting (its Deployment was just scaled up, or it is not listening yet), so a caller waits
 * for it, as a real Service's endpoints wait for a ready pod, rather than get 502 at once.
 */
function isStarting(address) {
  const { host } = splitAddress(address);
  return servicesAt(host).some((svc) =>
    wanted.some((w) => w.namespace === svc.metadata.namespace && selects(svc.spec.selector, w.podLabels)),
  );
}

/** host:port → 127.0.0.1:port of the istiod whose pods the Service at that address selects. */
function route(address) {
  const { host, port } = splitAddress(address);
  for (const svc of servicesAt(host)) {
    const { namespace } = svc.metadata;
    const svcPort = svc.spec.ports?.find((p) => p.port === port);
    const entry = [...running.values()].find(
      (e) => e.spec.namespace === namespace && e.child && selects(svc.spec.selector, e.spec.podLabels),
    );
    if (!svcPort || !entry) return undefined;
    const target = svcPort.targetPort ?? port;
    const podPort =
      typeof target === "number" ? target : entry.spec.containerPorts.find((p) => p.name === target)?.containerPort;
    const local = entry.ports[POD_PORTS[podPort]];
    return local ? { host: "127.0.0.1", port: local } : undefined;
  }
  const isService = host.startsWith(config.serviceCidrPrefix) || /\.svc(\.cluster\.local)?$/.test(host);
  return isService ? undefined : { host, port };
}

const proxy = createHttpServer((_req, res) => {
  res.writeHead(405, { "content-type": "text/plain" });
  res.end("CONNECT only\n");
});
// How long a call to a starting istiod waits (Istio's injector webhook times out after 10 s).
const STARTING_WAIT_MS = 8_000;

proxy.on("connect", (req, client, head) =>
  dial(req.url ?? "", client, head, { deadline: Date.now() + STARTING_WAIT_MS, hasReread: false }),
);

function dial(address, client, head, attempt) {
  const retry = () => {
    if (client.destroyed || Date.now() >= attempt.deadline || !isStarting(address)) return false;
    setTimeout(() => dial(address, client, head, attempt), 200);
    return true;
  };
  const target = route(address);
  if (!target && !attempt.hasReread && servicesAt(splitAddress(address).host).length > 0) {
    // A Service of ours and nothing serving it: the Deployment may have been scaled up since the
    // last look (up to a second ago), so look again before answering.
    reconcileOnce()
      .catch(() => {})
      .then(() => dial(address, client, head, { ...attempt, hasReread: true }));
    return;
  }
  if (!target) {
    if (!retry()) client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
    return;
  }
  const upstream = connect(target);
  const fail = () => {
    upstream.destroy();
    if (!retry() && !client.destroyed) client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
  };
  upstream.once("error", fail);
  upstream.once("connect", () => {
    upstream.off("error", fail);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.write("HTTP/1.1 200 Connection established\r\n\r\n");
    if (head?.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
}
rmSync(config.socket, { force: true });
mkdirSync(config.dir, { recursive: true });
proxy.listen(config.socket, () => say(`CONNECT proxy on ${config.socket}`));

// --- the loop -------------------------------------------------------------------------------
let lastError = "";
async function loop() {
  if (stopping) return;
  try {
    await reconcileOnce();
    if (lastError) say("the API server answers again");
    lastError = "";
  } catch (error) {
    if (error.message !== lastError) say(`reading istiod Deployments failed: ${error.message}`);
    lastError = error.message;
  }
  setTimeout(loop, config.pollMs ?? 1_000);
}

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping ${running.size} istiod(s) and the proxy`);
  proxy.close();
  rmSync(config.socket, { force: true });
  await Promise.all([...running.values()].map(stop));
  rmSync(statusFile, { force: true });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

void loop();

// The lite driver's istiod host: one small Node process that `up` starts detached (plain
// JavaScript, so it needs no loader and stays small) and `down` stops with SIGTERM. It
//  - supervises pilot-discovery (istiod): starts it, restarts it when it dies (backoff
//    1 s doubling to 10 s, reset after a run of 30 s), appends its output to its log and
//    writes its pid to a file;
//  - is kube-apiserver's HTTP CONNECT proxy for the `cluster` egress (a Unix socket, see
//    --egress-selector-config-file): a CONNECT to a mapped address (the istiod Service's
//    ClusterIP:443) goes to istiod's local port; any other address (a kubelet, i.e. KWOK) is
//    dialled as asked.
// Usage: node istiod-host.mjs <config.json>
//   config: { socket, map: { "10.96.x.y:443": "127.0.0.1:P" }, istiod: { command, args, env,
//             cwd, log, pidFile } }
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "node:net";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const say = (message) => console.log(`${new Date().toISOString()} istiod-host: ${message}`);

// --- HTTP CONNECT proxy on a Unix socket ---------------------------------------------
function splitHostPort(address) {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(address.slice(at + 1)) };
}

const proxy = createServer((_req, res) => {
  res.writeHead(405, { "content-type": "text/plain" });
  res.end("CONNECT only\n");
});
proxy.on("connect", (req, client, head) => {
  const wanted = req.url ?? "";
  const target = splitHostPort(config.map[wanted] ?? wanted);
  const upstream = connect({ host: target.host, port: target.port });
  const fail = () => {
    if (!client.destroyed) client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
    upstream.destroy();
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
});
rmSync(config.socket, { force: true });
proxy.listen(config.socket, () => say(`CONNECT proxy on ${config.socket}, map ${JSON.stringify(config.map)}`));

// --- istiod under supervision ----------------------------------------------------------
let child;
let stopping = false;
let backoffMs = 1_000;

function startIstiod() {
  const { command, args, env, cwd, log, pidFile } = config.istiod;
  const fd = openSync(log, "a");
  const startedAt = Date.now();
  try {
    child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  child.once("error", (error) => say(`could not start istiod: ${error.message}`));
  if (child.pid) writeFileSync(pidFile, `${child.pid}\n`);
  say(`istiod started (pid ${child.pid})`);
  child.once("exit", (code, signal) => {
    child = undefined;
    if (stopping) return;
    if (Date.now() - startedAt > 30_000) backoffMs = 1_000;
    say(`istiod exited (${signal ?? `code ${code}`}); restarting in ${backoffMs / 1000} s`);
    setTimeout(startIstiod, backoffMs);
    backoffMs = Math.min(backoffMs * 2, 10_000);
  });
}

function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping istiod and the proxy`);
  proxy.close();
  rmSync(config.socket, { force: true });
  const done = () => {
    rmSync(config.istiod.pidFile, { force: true });
    process.exit(0);
  };
  if (!child) return done();
  const running = child;
  running.once("exit", done);
  running.kill("SIGTERM");
  setTimeout(() => running.kill("SIGKILL"), 8_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

startIstiod();

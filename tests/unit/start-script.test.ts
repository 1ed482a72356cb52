// scripts/start.ts runs the server in a child process and stops it when `npm start` is stopped:
// SIGTERM to npm (which ends the `sh -c` between it and tsx and exits without passing it on), to
// the process group, or SIGKILL to start.ts itself. Each time the server ends its shell's jobs and
// exits. The server here is the stand-in of terminal-stop.test.ts (no Next, no build).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";

const repo = path.resolve(import.meta.dirname, "..", "..");
const root = mkdtempSync(path.join(tmpdir(), "ica-start-script-"));
const fixture = path.join(import.meta.dirname, "fixtures", "terminal-stop-server.ts");
const launched: ChildProcess[] = [];
const started: number[] = [];
let client: WebSocket | undefined;

afterEach(() => {
  client?.terminate();
  for (const child of launched.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  // also what a failed test never learnt the pid of: all of it has $PIDS (or is the server)
  for (const pid of [...started.splice(0), ...listProcessesWithEnv(`PIDS=${root}/`)]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone, as it should be
    }
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function listProcessesWithEnv(prefix: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, "utf8")}`.includes(`\0${prefix}`)) found.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function waitFor<T>(read: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Served {
  launcher: ChildProcess;
  exited: Promise<number | null>;
  /** the server's pid, its shell's, and those of the shell's jobs */
  server: number;
  processes: number[];
}

/**
 * `how` starts the wrapper (serveInChild on the stand-in server) in `dir`; then a shell starts
 * a job that ignores SIGHUP and one that ignores SIGHUP and SIGTERM.
 */
async function serve(name: string, how: "npm" | "node"): Promise<Served> {
  const dir = path.join(root, name);
  const home = path.join(dir, "home");
  mkdirSync(home, { recursive: true });
  writeFileSync(
    path.join(dir, "wrapper.ts"),
    `import { serveInChild } from ${JSON.stringify(path.join(repo, "scripts", "start.ts"))};\n` +
      `process.exit(await serveInChild(${JSON.stringify(fixture)}, [${JSON.stringify(name)}]));\n`,
  );
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name,
      private: true,
      type: "module",
      scripts: { start: `${repo}/node_modules/.bin/tsx wrapper.ts` },
    }),
  );
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LANG: "C.UTF-8", NODE_ENV: "test" };
  Object.assign(env, {
    ICA_CLUSTER: "lite",
    ICA_CACHE_DIR: path.join(dir, "cache"),
    ICA_WORKSPACES_DIR: path.join(dir, "workspaces"),
    npm_config_update_notifier: "false",
  });
  const launcher =
    how === "npm"
      ? spawn("npm", ["start", "--silent"], { cwd: dir, env, stdio: ["ignore", "pipe", "inherit"], detached: true })
      : spawn(process.execPath, ["--import", "tsx", path.join(dir, "wrapper.ts")], {
          cwd: repo,
          env,
          stdio: ["ignore", "pipe", "inherit"],
          detached: true,
        });
  launched.push(launcher);
  const exited = new Promise<number | null>((resolve) => launcher.on("exit", (code) => resolve(code)));
  let out = "";
  launcher.stdout?.on("data", (d) => {
    out += d;
  });
  const { port, token, pid } = await waitFor(() => {
    const line = out.split("\n").find((l) => l.startsWith("{"));
    return line ? (JSON.parse(line) as { port: number; token: string; pid: number }) : undefined;
  }, "the server to listen");
  started.push(pid);

  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/terminal?scenario=${name}&token=${token}`, {
    origin: `http://127.0.0.1:${port}`,
  });
  client = ws;
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.on("error", () => {});
  const pids = path.join(dir, "pids");
  const lines = [
    `export PIDS=${pids}`,
    "echo $$ >> $PIDS",
    "nohup sleep 311 >/dev/null 2>&1 </dev/null & echo $! >> $PIDS",
    "(trap '' HUP TERM; exec sleep 312 </dev/null >/dev/null 2>&1) & echo $! >> $PIDS",
  ];
  ws.send(JSON.stringify({ type: "input", data: `${lines.join("\r")}\r` }));
  const processes = await waitFor(() => {
    const list = existsSync(pids) ? readFileSync(pids, "utf8").split("\n").filter(Boolean).map(Number) : [];
    return list.length === 3 ? list : undefined;
  }, "the jobs to start");
  started.push(...processes);
  for (const p of [pid, ...processes]) expect(isAlive(p)).toBe(true);
  return { launcher, exited, server: pid, processes };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise((r) => setTimeout(() => r("timed out"), ms))]);

describe.runIf(process.platform === "linux")("scripts/start.ts", () => {
  it("stops the server, and what its shells started, on SIGTERM to npm start", { timeout: 90_000 }, async () => {
    const { launcher, server, processes } = await serve("start-npm", "npm");
    process.kill(launcher.pid as number, "SIGTERM");
    await waitFor(() => (isAlive(server) ? undefined : true), "the server to exit", 30_000);
    expect(processes.filter(isAlive)).toEqual([]);
  });

  it("passes a process group's SIGTERM on once and exits with the server's code", { timeout: 90_000 }, async () => {
    const { launcher, exited, server, processes } = await serve("start-group", "node");
    process.kill(-(launcher.pid as number), "SIGTERM");
    // a second signal would have made the server exit at once (1), before the SIGTERM step
    expect(await within(exited, 30_000)).toBe(0);
    expect(isAlive(server)).toBe(false);
    expect(processes.filter(isAlive)).toEqual([]);
  });

  it("stops the server when start.ts is killed", { timeout: 90_000 }, async () => {
    const { launcher, server, processes } = await serve("start-killed", "node");
    process.kill(launcher.pid as number, "SIGKILL");
    await waitFor(() => (isAlive(server) ? undefined : true), "the server to exit", 30_000);
    expect(processes.filter(isAlive)).toEqual([]);
  });
});

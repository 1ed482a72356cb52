// Stopping the server ends everything its shells started: a stand-in for server.ts (the terminal's
// upgrade handler and server.ts's SIGTERM handling, no Next) in a child process, a shell that
// starts jobs which ignore SIGHUP, ignore SIGTERM too, or leave the shell's session (setsid, a
// daemon's double fork). After SIGTERM the server exits, and none of them is left; the lite
// cluster's recorded processes and processes the shell did not start are not touched.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";

const root = mkdtempSync(path.join(tmpdir(), "ica-terminal-stop-"));
const fixture = path.join(import.meta.dirname, "fixtures", "terminal-stop-server.ts");
const started: number[] = [];
let server: ChildProcess | undefined;
let client: WebSocket | undefined;

afterEach(() => {
  client?.terminate();
  if (server?.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  // also what a failed test never learnt the pid of: everything the shells started has $PIDS
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

async function waitFor<T>(read: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const readPids = (file: string) =>
  existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).map(Number) : [];

interface StopRun {
  /** the shell's pid and the pids its jobs wrote to <root>/<name>/pids */
  shell: number;
  jobs: number[];
  /** the lite cluster's recorded process, started from the shell, and one the shell did not start */
  spared: number[];
}

/**
 * Starts the stand-in server, types `lines` into a new shell (each writes the pids it starts to
 * $PIDS; the lite cluster's process writes $LITE_PID), waits for `jobCount` pids, records the lite
 * cluster's process in its state file, stops the server with SIGTERM and waits for it to exit 0.
 */
async function stopServerAfter(name: string, lines: string[], jobCount: number): Promise<StopRun> {
  const dir = path.join(root, name);
  const home = path.join(dir, "home");
  const cache = path.join(dir, "cache");
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LANG: "C.UTF-8", NODE_ENV: "test" };
  Object.assign(env, { ICA_CLUSTER: "lite", ICA_CACHE_DIR: cache, ICA_WORKSPACES_DIR: path.join(dir, "workspaces") });
  const child = spawn(process.execPath, ["--import", "tsx", fixture, name], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  server = child;
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const { port, token } = await waitFor(
    () => (out.includes("\n") ? (JSON.parse(out.split("\n")[0]) as { port: number; token: string }) : undefined),
    "the server to listen",
    30_000,
  );
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/terminal?scenario=${name}&token=${token}`, {
    origin: `http://127.0.0.1:${port}`,
  });
  client = ws;
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.on("error", () => {});
  let terminal = "";
  ws.on("message", (d) => {
    terminal += d.toString();
  });

  const pids = path.join(dir, "pids");
  const litePid = path.join(dir, "lite.pid");
  const shellPid = path.join(dir, "shell.pid");
  const ready = path.join(dir, "ready");
  const script = [`export PIDS=${pids} LITE_PID=${litePid}`, `echo $$ > ${shellPid}`, ...lines, `touch ${ready}`];
  ws.send(JSON.stringify({ type: "input", data: `${script.join("\r")}\r` }));
  await waitFor(
    () => (existsSync(ready) && readPids(pids).length === jobCount ? true : undefined),
    "the jobs to start",
  ).catch((e) => {
    throw new Error(`${e.message}; the terminal showed: ${JSON.stringify(terminal)}`);
  });
  const shell = readPids(shellPid)[0];
  const jobs = readPids(pids);
  const spared = readPids(litePid);
  started.push(shell, ...jobs, ...spared);
  for (const pid of [shell, ...jobs, ...spared]) expect(isAlive(pid), `${pid} runs`).toBe(true);
  if (spared.length > 0) {
    mkdirSync(path.join(cache, "lite"), { recursive: true });
    writeFileSync(
      path.join(cache, "lite", "state.json"),
      JSON.stringify({
        dataDir: path.join(cache, "lite"),
        kubeconfig: path.join(cache, "lite", "kubeconfig"),
        ports: {},
        processes: spared.map((pid) => ({ name: "kube-apiserver", pid, command: "sleep" })),
        ready: true,
        startedAt: new Date().toISOString(),
      }),
    );
  }
  // not the shell's: started by someone else
  const bystander = spawn("sleep", ["309"], { detached: true, stdio: "ignore" });
  bystander.unref();
  started.push(bystander.pid as number);
  spared.push(bystander.pid as number);

  child.kill("SIGTERM");
  expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 30_000))])).toBe(0);
  return { shell, jobs, spared };
}

const describeProcess = (pid: number) =>
  `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ")}`;

describe.runIf(process.platform === "linux")("stopping the server", () => {
  it("waits for the SIGTERM and SIGKILL steps: jobs that ignore SIGHUP outlive their shell", {
    timeout: 60_000,
  }, async () => {
    const run = await stopServerAfter(
      "stop-detached",
      [
        // ignores SIGHUP; not on the terminal, so the pty closes when the shell ends
        "nohup sleep 301 >/dev/null 2>&1 </dev/null & echo $! >> $PIDS",
        // ignores SIGHUP and SIGTERM
        "(trap '' HUP TERM; exec sleep 302 </dev/null >/dev/null 2>&1) & echo $! >> $PIDS",
      ],
      2,
    );
    expect([run.shell, ...run.jobs].filter(isAlive).map(describeProcess)).toEqual([]);
    expect(run.spared.filter((pid) => !isAlive(pid))).toEqual([]);
  });

  it("ends what left the shell's session, spares the lite cluster and what the shell did not start", {
    timeout: 60_000,
  }, async () => {
    const run = await stopServerAfter(
      "stop-setsid",
      [
        "nohup sleep 303 >/dev/null 2>&1 & echo $! >> $PIDS",
        "(trap '' HUP TERM; exec sleep 304) & echo $! >> $PIDS",
        // its own session; its parent (setsid) is gone at once
        "setsid sh -c 'echo $$ >> $PIDS; exec sleep 305' >/dev/null 2>&1 &",
        // a daemon: double fork, own session, ignores SIGHUP and SIGTERM
        `(setsid sh -c 'trap "" HUP TERM; echo $$ >> $PIDS; exec sleep 306' >/dev/null 2>&1 &)`,
        // the lite cluster started from the terminal (npm run cluster -- up): recorded, not to be stopped
        "setsid sh -c 'echo $$ > $LITE_PID; exec sleep 307' >/dev/null 2>&1 &",
        // and the shell itself ignores SIGHUP and SIGTERM
        "trap '' HUP TERM",
      ],
      4,
    );
    expect([run.shell, ...run.jobs].filter(isAlive).map(describeProcess)).toEqual([]);
    expect(run.spared.filter((pid) => !isAlive(pid))).toEqual([]);
  });
});

// The terminal endpoint end to end over a real socket and real ptys: a plain node http server
// with the upgrade handler (no Next), the `ws` client, bash.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { handleTerminalUpgrade } from "../../lib/terminal/handle-terminal-upgrade";
import { TERMINAL_CLOSE, type TerminalClientMessage } from "../../lib/terminal/protocol";
import {
  closeTerminalSession,
  endAllTerminalSessions,
  endTerminalSession,
  terminalSessionCount,
} from "../../lib/terminal/terminal-sessions";
import { issueTerminalToken } from "../../lib/terminal/terminal-tokens";

const TEST_TIMEOUT = 30_000;
const WAIT_MS = 10_000;

const root = mkdtempSync(path.join(tmpdir(), "ica-terminal-"));
const cacheDir = path.join(root, "cache");
const workspacesDir = path.join(root, "workspaces");
const binDir = path.join(cacheDir, "bin", "current");

/** What every test starts from; a test changes what it needs before it connects. */
const BASE_ENV: Record<string, string> = {
  ICA_CLUSTER: "lite",
  ICA_CACHE_DIR: cacheDir,
  ICA_WORKSPACES_DIR: workspacesDir,
  // no ~/.bashrc: the shell starts the same everywhere
  HOME: path.join(root, "home"),
  ICA_TERMINAL_GRACE_SECONDS: "300",
  ICA_TERMINAL_IDLE_SECONDS: "1800",
  ICA_TERMINAL_LEAVE_SECONDS: "0",
};
const savedEnv = { ...process.env };

let server: Server;
let baseUrl: string;
let origin: string;
const clients: WebSocket[] = [];

beforeAll(async () => {
  mkdirSync(binDir, { recursive: true });
  mkdirSync(BASE_ENV.HOME, { recursive: true });
  writeFileSync(path.join(binDir, "kubectl"), "#!/bin/sh\necho fake-kubectl\n");
  chmodSync(path.join(binDir, "kubectl"), 0o755);
  server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `ws://127.0.0.1:${port}`;
  origin = `http://127.0.0.1:${port}`;
  server.on("upgrade", (req, socket, head) => {
    if (handleTerminalUpgrade(req, socket, head, { allowedOrigins: [origin] })) return;
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
  });
});

beforeEach(() => {
  Object.assign(process.env, BASE_ENV);
});

afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  void endAllTerminalSessions(); // not awaited: its SIGTERM step waits 2 s
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

async function waitUntil(condition: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function terminalUrl(query: Record<string, string>, pathname = "/api/terminal"): string {
  return `${baseUrl}${pathname}?${new URLSearchParams(query)}`;
}

/** The HTTP status of a refused upgrade (fails the test if the upgrade is accepted). */
function refusalStatus(url: string, headers: { origin?: string } = { origin }): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, headers);
    clients.push(ws);
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => reject(new Error("the upgrade was accepted")));
    ws.on("error", reject);
  });
}

interface Client {
  ws: WebSocket;
  output(): string;
  /** what came as the replay (a binary frame), not live */
  replayed(): string;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  send(message: TerminalClientMessage): void;
  type(line: string): void;
  closed: Promise<{ code: number; reason: string }>;
}

async function connect(scenarioId: string, token: string): Promise<Client> {
  return connectTo({ scenario: scenarioId, token });
}

async function connectTo(query: Record<string, string>): Promise<Client> {
  const ws = new WebSocket(terminalUrl(query), { origin });
  clients.push(ws);
  let text = "";
  let replay = "";
  ws.on("message", (data, isBinary) => {
    // the replay of earlier output is the one binary frame
    if (isBinary) replay += data.toString();
    text += data.toString();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const send = (message: TerminalClientMessage) => ws.send(JSON.stringify(message));
  return {
    ws,
    closed,
    output: () => text,
    replayed: () => replay,
    send,
    type: (line) => send({ type: "input", data: `${line}\r` }),
    async waitFor(pattern, ms = WAIT_MS) {
      await waitUntil(() => pattern.test(text), `${pattern} in the terminal output:\n${text.slice(-2000)}`, ms);
      return text.match(pattern)!;
    },
  };
}

/** Connects and waits for the first prompt (PS1 is `<scenario> $ `, or `#` for root). */
async function open(scenarioId: string): Promise<Client> {
  const client = await connect(scenarioId, issueTerminalToken(scenarioId));
  await client.waitFor(new RegExp(`${scenarioId} [$#] `));
  return client;
}

let question = 0;
/**
 * The shell's value of `expr`. The echoed command line reads `"q""7=[...]"`, the output `q7=[value]`,
 * so the pattern only matches the output.
 */
async function ask(client: Client, expr: string): Promise<string> {
  const n = ++question;
  client.type(`echo "q""${n}=[${expr}]"`);
  return (await client.waitFor(new RegExp(`q${n}=\\[([^\\]\\r\\n]*)\\]`)))[1];
}

function isAlive(pid: number): boolean {
  try {
    // a zombie is dead for our purposes (its parent, not us, reaps it)
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("refused upgrades spawn nothing", () => {
  it(
    "401 without a token, with a wrong one, or with another scenario's; 403 for a foreign or missing Origin",
    async () => {
      const token = issueTerminalToken("term-refuse");
      const otherToken = issueTerminalToken("term-other");
      expect(await refusalStatus(terminalUrl({ scenario: "term-refuse" }))).toBe(401);
      expect(await refusalStatus(terminalUrl({ scenario: "term-refuse", token: "x".repeat(43) }))).toBe(401);
      expect(await refusalStatus(terminalUrl({ scenario: "term-refuse", token: `${token}x` }))).toBe(401);
      expect(await refusalStatus(terminalUrl({ scenario: "term-refuse", token: otherToken }))).toBe(401);
      expect(await refusalStatus(terminalUrl({ scenario: "../etc", token }))).toBe(401);
      expect(
        await refusalStatus(terminalUrl({ scenario: "term-refuse", token }), { origin: "http://evil.example" }),
      ).toBe(403);
      expect(await refusalStatus(terminalUrl({ scenario: "term-refuse", token }), {})).toBe(403);
      expect(terminalSessionCount()).toBe(0);
      expect(existsSync(path.join(workspacesDir, "term-refuse"))).toBe(false);
    },
    TEST_TIMEOUT,
  );

  it("leaves other paths to the next handler", async () => {
    expect(await refusalStatus(`${baseUrl}/_next/webpack-hmr`)).toBe(404);
  });
});

describe("a shell for the scenario", () => {
  it(
    "runs in the scenario's workspace with the active cluster's KUBECONFIG and tools first on PATH",
    async () => {
      const client = await open("term-basic");
      expect(terminalSessionCount()).toBe(1);
      client.type("echo hello-$((40+2))");
      await client.waitFor(/hello-42/);
      const workspace = path.join(workspacesDir, "term-basic");
      expect(await ask(client, "$(pwd)")).toBe(workspace);
      expect(existsSync(workspace)).toBe(true);
      expect(await ask(client, "$KUBECONFIG")).toBe(resolveActiveCluster().kubeconfig);
      expect(await ask(client, "$(command -v kubectl)")).toBe(path.join(binDir, "kubectl"));
      expect(await ask(client, "$TERM")).toBe("xterm-256color");
      expect(await ask(client, "$(printenv ICA_KUBE_CONTEXT || echo unset)")).toBe("unset");
      expect(client.output()).toContain("# cluster: lite");
      // as on the exam: k is kubectl, with kubectl's completion
      expect(await ask(client, "$(type -t k)")).toBe("alias");
      expect(await ask(client, "$(alias k)")).toBe("alias k='kubectl'");
      expect(await ask(client, "$(complete -p k)")).toBe("complete -o default -F __start_kubectl k");
    },
    TEST_TIMEOUT,
  );

  it(
    "of an install task talks to the bare cluster",
    async () => {
      const client = await open("install-customize");
      expect(await ask(client, "$KUBECONFIG")).toBe(path.join(cacheDir, "lite-bare", "kubeconfig"));
      expect(client.output()).toContain("# cluster: ica-lite-bare");
    },
    TEST_TIMEOUT,
  );

  it(
    "uses the active context through KUBECONFIG and names it in ICA_KUBE_CONTEXT",
    async () => {
      const kubeconfig = path.join(root, "user-kubeconfig");
      writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\ncurrent-context: ctx-a\n");
      Object.assign(process.env, { ICA_CLUSTER: "current", KUBECONFIG: kubeconfig, ICA_KUBE_CONTEXT: "ctx-b" });
      const client = await open("term-context");
      expect(await ask(client, "$ICA_KUBE_CONTEXT")).toBe("ctx-b");
      const [contextFile, rest] = (await ask(client, "$KUBECONFIG")).split(path.delimiter);
      expect(rest).toBe(kubeconfig);
      expect(JSON.parse(readFileSync(contextFile, "utf8"))).toMatchObject({ "current-context": "ctx-b" });
      expect(await ask(client, "$(alias kubectl 2>/dev/null || echo none)")).toBe("none");
    },
    TEST_TIMEOUT,
  );

  it(
    "resizes the pty, clamps sizes and ignores junk frames",
    async () => {
      const client = await open("term-resize");
      client.send({ type: "resize", cols: 100, rows: 30 });
      expect(await ask(client, "$(stty size)")).toBe("30 100");
      client.send({ type: "resize", cols: 100_000, rows: 0 });
      expect(await ask(client, "$(stty size)")).toBe("2 500");
      client.ws.send("not json");
      client.ws.send(JSON.stringify({ type: "resize", cols: "wide", rows: 10 }));
      client.ws.send(JSON.stringify({ type: "input" }));
      client.ws.send(JSON.stringify({ type: "unknown" }));
      client.ws.send(Buffer.from([0, 1, 2]), { binary: true });
      expect(await ask(client, "still-$((1+1))")).toBe("still-2");
    },
    TEST_TIMEOUT,
  );
});

describe("the shell outlives its socket", () => {
  it(
    "reattaching within the grace period replays the output and keeps the same shell",
    async () => {
      const token = issueTerminalToken("term-reattach");
      const first = await connect("term-reattach", token);
      await first.waitFor(/term-reattach [$#] /);
      first.type("ICA_T=41; echo hello-$((40+2))");
      await first.waitFor(/hello-42/);
      const pid = await ask(first, "$$");
      first.ws.close();
      await first.closed;
      expect(terminalSessionCount()).toBe(1);

      const second = await connect("term-reattach", token);
      await second.waitFor(/hello-42/);
      expect(second.replayed()).toMatch(/hello-42/);
      expect(await ask(second, "$((ICA_T+1))")).toBe("42");
      expect(await ask(second, "$$")).toBe(pid);
    },
    TEST_TIMEOUT,
  );

  it(
    "a new attach replaces the old socket",
    async () => {
      const first = await open("term-replace");
      const second = await connect("term-replace", issueTerminalToken("term-replace"));
      expect((await first.closed).code).toBe(TERMINAL_CLOSE.replaced);
      expect(await ask(second, "ok")).toBe("ok");
      expect(terminalSessionCount()).toBe(1);
    },
    TEST_TIMEOUT,
  );

  it(
    "the grace period ends a shell nobody reattached",
    async () => {
      process.env.ICA_TERMINAL_GRACE_SECONDS = "0.3";
      const client = await open("term-grace");
      const pid = Number(await ask(client, "$$"));
      client.ws.close();
      await waitUntil(() => terminalSessionCount() === 0, "the session to end");
      await waitUntil(() => !isAlive(pid), "the shell to die");
    },
    TEST_TIMEOUT,
  );
});

describe("the shell ends", () => {
  it(
    "at once on leave, with its background jobs",
    async () => {
      const client = await open("term-leave");
      client.type("sleep 300 &");
      const job = Number(await ask(client, "$!"));
      const shell = Number(await ask(client, "$$"));
      expect(isAlive(job)).toBe(true);
      client.send({ type: "leave" });
      await waitUntil(() => terminalSessionCount() === 0, "the session to end");
      await waitUntil(() => !isAlive(shell) && !isAlive(job), "the shell and its job to die");
    },
    TEST_TIMEOUT,
  );

  it(
    "gives a job that survives SIGHUP a SIGTERM to clean up (a lock file) before anything is killed",
    async () => {
      const client = await open("term-cleanup");
      const lock = path.join(workspacesDir, "term-cleanup", "tool.lock");
      // like a tool mid-work: it holds a lock file and removes it when asked to stop
      client.type(`(trap '' HUP; trap 'rm -f tool.lock; exit 0' TERM; touch tool.lock; while :; do sleep 0.1; done) &`);
      const job = Number(await ask(client, "$!"));
      await waitUntil(() => existsSync(lock), "the job's lock file");
      client.send({ type: "leave" });
      await waitUntil(() => terminalSessionCount() === 0, "the session to end");
      await waitUntil(() => !isAlive(job), "the job to end", 8000);
      expect(existsSync(lock)).toBe(false);
    },
    TEST_TIMEOUT,
  );

  it(
    "not on leave when the page comes back quickly (a reload)",
    async () => {
      process.env.ICA_TERMINAL_LEAVE_SECONDS = "30";
      const token = issueTerminalToken("term-reload");
      const first = await connect("term-reload", token);
      await first.waitFor(/term-reload [$#] /);
      const pid = await ask(first, "$$");
      first.send({ type: "leave" });
      first.ws.close();
      await first.closed;
      const second = await connect("term-reload", token);
      expect(await ask(second, "$$")).toBe(pid);
    },
    TEST_TIMEOUT,
  );

  it(
    "only when ICA_TERMINAL_LEAVE_SECONDS have passed after the page left",
    async () => {
      process.env.ICA_TERMINAL_LEAVE_SECONDS = "3";
      const client = await open("term-away");
      const shell = Number(await ask(client, "$$"));
      const left = Date.now();
      client.send({ type: "leave" });
      client.ws.close();
      await client.closed;
      await new Promise((r) => setTimeout(r, 1500));
      expect(isAlive(shell)).toBe(true); // the learner can still come back
      await waitUntil(() => terminalSessionCount() === 0 && !isAlive(shell), "the shell to end", 8000);
      expect(Date.now() - left).toBeGreaterThanOrEqual(3000);
    },
    TEST_TIMEOUT,
  );

  it(
    "when the shell exits, and the page is told",
    async () => {
      const client = await open("term-exit");
      client.type("exit");
      await client.waitFor(/\[process exited\]/);
      expect((await client.closed).code).toBe(TERMINAL_CLOSE.exited);
      expect(terminalSessionCount()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    "after the idle timeout without input",
    async () => {
      process.env.ICA_TERMINAL_IDLE_SECONDS = "1";
      const client = await open("term-idle");
      expect((await client.closed).code).toBe(TERMINAL_CLOSE.ended);
      expect(client.output()).toContain("without input]");
      expect(terminalSessionCount()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    "on endTerminalSession (Reset), telling the page to start a fresh one",
    async () => {
      const client = await open("term-reset");
      const pid = await ask(client, "$$");
      expect(endTerminalSession("term-reset")).toBe(true);
      expect((await client.closed).code).toBe(TERMINAL_CLOSE.restarted);
      expect(terminalSessionCount()).toBe(0);
      expect(endTerminalSession("term-reset")).toBe(false);

      const fresh = await open("term-reset");
      expect(await ask(fresh, "$$")).not.toBe(pid);
    },
    TEST_TIMEOUT,
  );
});

describe("an exam's one terminal", () => {
  const exam = (id: string) => ({ kind: "exam", id }) as const;

  it(
    "runs in the sitting's workspace with an `exam` prompt; a scenario's token or query does not open it",
    async () => {
      const token = issueTerminalToken(exam("examshell1"), { endsAt: new Date(Date.now() + 60_000) });
      expect(await refusalStatus(terminalUrl({ scenario: "examshell1", token }))).toBe(401);
      expect(await refusalStatus(terminalUrl({ exam: "examshell1", scenario: "examshell1", token }))).toBe(401);
      const scenarioToken = issueTerminalToken("examshell1");
      expect(await refusalStatus(terminalUrl({ exam: "examshell1", token: scenarioToken }))).toBe(401);
      expect(terminalSessionCount()).toBe(0);

      const client = await connectTo({ exam: "examshell1", token });
      await client.waitFor(/exam [$#] /);
      expect(await ask(client, "$(pwd)")).toBe(path.join(workspacesDir, ".exams", "examshell1"));
      expect(await ask(client, "$ICA_EXAM")).toBe("examshell1");
      expect(await ask(client, "$(printenv ICA_SCENARIO || echo unset)")).toBe("unset");
      expect(await ask(client, "$(type -t k)")).toBe("alias");
      // the bare cluster of an install task is one more context; use-context writes the shell's own file
      const [contextFile, ...kubeconfigs] = (await ask(client, "$KUBECONFIG")).split(path.delimiter);
      expect(kubeconfigs).toEqual([
        path.join(cacheDir, "lite", "kubeconfig"),
        path.join(cacheDir, "lite-bare", "kubeconfig"),
      ]);
      expect(JSON.parse(readFileSync(contextFile, "utf8"))).toMatchObject({ "current-context": "ica-lite" });
      expect(await ask(client, "$ICA_KUBE_CONTEXT")).toBe("ica-lite");
    },
    TEST_TIMEOUT,
  );

  it(
    "closes at the exam's deadline for good, and no token opens it after",
    async () => {
      const endsAt = new Date(Date.now() + 3000);
      const token = issueTerminalToken(exam("examshell2"), { endsAt });
      const client = await connectTo({ exam: "examshell2", token });
      await client.waitFor(/exam [$#] /);
      client.type("sleep 300 &");
      const closed = await client.closed;
      expect(closed.code).toBe(TERMINAL_CLOSE.timeUp);
      expect(Date.now()).toBeGreaterThanOrEqual(endsAt.getTime());
      expect(client.output()).toContain("time is up");
      expect(terminalSessionCount()).toBe(0);
      expect(await refusalStatus(terminalUrl({ exam: "examshell2", token }))).toBe(401);
    },
    TEST_TIMEOUT,
  );

  it(
    "is closed when the exam ends, and its shell's processes are gone by then",
    async () => {
      const token = issueTerminalToken(exam("examshell3"), { endsAt: new Date(Date.now() + 60_000) });
      const client = await connectTo({ exam: "examshell3", token });
      await client.waitFor(/exam [$#] /);
      client.type("sleep 300 >/dev/null 2>&1 &");
      const pid = Number(await ask(client, "$!"));
      expect(isAlive(pid)).toBe(true);
      expect(await closeTerminalSession(exam("examshell3"), "the exam ended")).toBe(true);
      expect(isAlive(pid)).toBe(false);
      expect((await client.closed).code).toBe(TERMINAL_CLOSE.timeUp);
      expect(await closeTerminalSession(exam("examshell3"), "the exam ended")).toBe(false);
    },
    TEST_TIMEOUT,
  );
});

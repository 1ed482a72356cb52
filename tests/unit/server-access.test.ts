// server.ts started for real (production build, through scripts/start.ts, which builds first when
// the sources changed): the Host allow-list, the access secret and login, refused upgrades, frame
// headers, the body limit and Reset's up-front answers. One server per mode; no cluster
// (ICA_CLUSTER=none), a database and a secret file of its own.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createNetServer, connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** a build (when the sources changed) on a busy 2-core machine, then Next's start */
const START_TIMEOUT = 420_000;
const TEST_TIMEOUT = 30_000;

const root = mkdtempSync(path.join(tmpdir(), "ica-server-access-"));

interface Started {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Starts the production server with these variables and waits until it answers. */
async function startServer(name: string, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child: ChildProcess = spawn("npx", ["tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      ICA_CLUSTER: "none",
      DATABASE_URL: `file:${path.join(root, `${name}.db`)}`,
      ICA_WORKSPACES_DIR: path.join(root, `${name}-workspaces`),
      ICA_ACCESS_SECRET_FILE: path.join(root, `${name}-access-secret.json`),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: stop() ends npx, tsx and the server together
  });
  let text = "";
  child.stdout?.on("data", (d) => {
    text += d.toString();
  });
  child.stderr?.on("data", (d) => {
    text += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + START_TIMEOUT - 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server ${name} exited:\n${text}`);
    if (Date.now() > deadline) throw new Error(`server ${name} did not start:\n${text}`);
    if (/ICA Practice on http/.test(text)) {
      const answered = await rawRequest(port, { path: "/", headers: { host: `127.0.0.1:${port}` } }).catch(() => null);
      if (answered) break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    output: () => text,
    stop: async () => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
    },
  };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (fetch will not send a foreign Host). */
function rawRequest(
  port: number,
  {
    method = "GET",
    path: requestPath,
    headers,
    body,
  }: { method?: string; path: string; headers: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path: requestPath, headers, setHost: false }, (res) => {
      let text = "";
      res.on("data", (d) => {
        text += d.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer to ${method} ${requestPath}`)));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * A WebSocket upgrade on a raw socket: the status line the server answers with, or "closed"
 * when it closes without one; "hanging" when it neither answers nor closes within ms.
 */
function upgradeStatus(
  port: number,
  requestPath: string,
  headers: Record<string, string>,
  ms = 5000,
): Promise<number | "closed" | "hanging"> {
  return new Promise((resolve) => {
    const socket = netConnect(port, "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("hanging");
    }, ms);
    const finish = () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve(status ? Number(status[1]) : "closed");
    };
    socket.on("data", (d) => {
      text += d.toString();
    });
    socket.on("close", finish);
    socket.on("error", () => undefined);
    const lines = [
      `GET ${requestPath} HTTP/1.1`,
      "Connection: Upgrade",
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("on loopback (HOST=127.0.0.1)", () => {
  let server: Started;
  let host: string;
  let origin: string;
  beforeAll(async () => {
    server = await startServer("loopback", { HOST: "127.0.0.1" });
    host = `127.0.0.1:${server.port}`;
    origin = `http://${host}`;
  }, START_TIMEOUT);
  afterAll(async () => {
    await server?.stop();
  });

  it(
    "refuses a foreign Host header with 403 on a page, an API call and the WebSocket upgrade",
    async () => {
      const evil = `rebind.example:${server.port}`;
      const page = await rawRequest(server.port, { path: "/", headers: { host: evil } });
      expect(page.status).toBe(403);
      expect(page.body).toMatch(/host/i);
      const api = await rawRequest(server.port, {
        method: "POST",
        path: "/api/scenarios/traffic-mirroring/check",
        headers: { host: evil, origin: `http://${evil}`, "content-type": "application/json" },
        body: JSON.stringify({ taskId: "x" }),
      });
      expect(api.status).toBe(403);
      expect(
        await upgradeStatus(server.port, "/api/terminal?scenario=x&token=y", { host: evil, origin: `http://${evil}` }),
      ).toBe(403);
      expect(await upgradeStatus(server.port, "/api/terminal?scenario=x&token=y", {})).toBe(403); // no Host at all
    },
    TEST_TIMEOUT,
  );

  it(
    "serves the loopback names with its port or none, and needs no login",
    async () => {
      for (const name of [host, `localhost:${server.port}`, `[::1]:${server.port}`, "127.0.0.2", "localhost"]) {
        const page = await rawRequest(server.port, { path: "/", headers: { host: name } });
        expect(page.status, name).toBe(200);
      }
      const otherPort = await rawRequest(server.port, { path: "/", headers: { host: "127.0.0.1:1" } });
      expect(otherPort.status).toBe(403);
      // the terminal's own checks still answer (no token → 401), the Host check passed
      expect(await upgradeStatus(server.port, "/api/terminal?scenario=x&token=y", { host, origin })).toBe(401);
    },
    TEST_TIMEOUT,
  );

  it(
    "refuses upgrades to any other path at once instead of leaving the socket open",
    async () => {
      expect(await upgradeStatus(server.port, "/foo", { host, origin })).toBe(404);
      expect(await upgradeStatus(server.port, "/_next/hmr", { host, origin })).toBe(404); // production
    },
    TEST_TIMEOUT,
  );

  it(
    "sends frame-ancestors 'none' and X-Frame-Options: DENY on pages, API answers and refusals",
    async () => {
      const answers = [
        await rawRequest(server.port, { path: "/", headers: { host } }),
        await rawRequest(server.port, { method: "POST", path: "/api/scenarios/x/check", headers: { host } }),
        await rawRequest(server.port, { path: "/", headers: { host: "evil.example" } }),
      ];
      for (const a of answers) {
        expect(a.headers["x-frame-options"]).toBe("DENY");
        expect(a.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "answers 413 to a body over 64 KB on the API, 411 to a body without a length",
    async () => {
      const big = JSON.stringify({ taskId: "x".repeat(100 * 1024) });
      const tooBig = await rawRequest(server.port, {
        method: "POST",
        path: "/api/scenarios/traffic-mirroring/check",
        headers: { host, origin, "content-type": "application/json", "content-length": String(Buffer.byteLength(big)) },
        body: big,
      });
      expect(tooBig.status).toBe(413);
      const chunked = await rawRequest(server.port, {
        method: "POST",
        path: "/api/scenarios/traffic-mirroring/check",
        headers: { host, origin, "content-type": "application/json", "transfer-encoding": "chunked" },
        body: big,
      });
      expect(chunked.status).toBe(411);
      const small = await rawRequest(server.port, {
        method: "POST",
        path: "/api/scenarios/traffic-mirroring/check",
        headers: { host, origin, "content-type": "application/json" },
        body: JSON.stringify({ taskId: "no-such-task" }),
      });
      expect(small.status).not.toBe(413);
    },
    TEST_TIMEOUT,
  );

  it(
    "Reset answers 404 for an unknown scenario and 503 with {error} when there is no cluster, before streaming",
    async () => {
      const unknown = await rawRequest(server.port, {
        method: "POST",
        path: "/api/scenarios/no-such-scenario/reset",
        headers: { host, origin },
      });
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.body)).toEqual({ error: expect.stringMatching(/no-such-scenario/) });
      const noCluster = await rawRequest(server.port, {
        method: "POST",
        path: "/api/scenarios/traffic-mirroring/reset",
        headers: { host, origin },
      });
      expect(noCluster.status).toBe(503);
      expect(noCluster.headers["content-type"]).toMatch(/application\/json/);
      expect(JSON.parse(noCluster.body)).toEqual({ error: expect.stringMatching(/cluster/i) });
    },
    TEST_TIMEOUT,
  );
});

describe("beyond loopback (HOST=0.0.0.0) with the default ICA_AUTH", () => {
  let server: Started;
  let host: string;
  let origin: string;
  let secret: string;
  beforeAll(async () => {
    server = await startServer("secret", { HOST: "0.0.0.0", ICA_ALLOWED_HOSTS: "ica.test" });
    host = `ica.test:${server.port}`;
    origin = `http://${host}`;
    secret = /\/login\?secret=([A-Za-z0-9_-]+)/.exec(server.output())?.[1] ?? "";
  }, START_TIMEOUT);
  afterAll(async () => {
    await server?.stop();
  });

  it(
    "prints a login URL once and keeps only a hash of the secret, readable by this user only",
    () => {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(server.output()).toContain(`http://0.0.0.0:${server.port}/login?secret=${secret}`);
      const file = path.join(root, "secret-access-secret.json");
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, "utf8")).not.toContain(secret);
    },
    TEST_TIMEOUT,
  );

  it(
    "redirects a page to /login, answers 401 to the API and to the terminal without a session",
    async () => {
      const page = await rawRequest(server.port, { path: "/", headers: { host } });
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe("/login");
      const api = await rawRequest(server.port, {
        method: "POST",
        path: "/api/scenarios/traffic-mirroring/reset",
        headers: { host, origin },
      });
      expect(api.status).toBe(401);
      expect(await upgradeStatus(server.port, "/api/terminal?scenario=x&token=y", { host, origin })).toBe(401);
      const login = await rawRequest(server.port, { path: "/login", headers: { host } });
      expect(login.status).toBe(200);
      expect(login.body).toContain('name="secret"');
      // the Host allow-list still comes first
      expect((await rawRequest(server.port, { path: "/login", headers: { host: "evil.example" } })).status).toBe(403);
    },
    TEST_TIMEOUT,
  );

  it(
    "logs in with the printed secret: an HttpOnly SameSite=Strict cookie, then pages are served",
    async () => {
      const wrong = await rawRequest(server.port, {
        method: "POST",
        path: "/api/login",
        headers: { host, origin, "content-type": "application/x-www-form-urlencoded" },
        body: "secret=wrong",
      });
      expect(wrong.status).toBe(303);
      expect(wrong.headers.location).toMatch(/^\/login\?failed/);
      expect(wrong.headers["set-cookie"]).toBeUndefined();
      const crossSite = await rawRequest(server.port, {
        method: "POST",
        path: "/api/login",
        headers: { host, origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
        body: `secret=${secret}`,
      });
      expect(crossSite.status).toBe(403);

      const login = await rawRequest(server.port, {
        method: "POST",
        path: "/api/login",
        headers: { host, origin, "content-type": "application/x-www-form-urlencoded" },
        body: `secret=${secret}`,
      });
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe("/");
      const cookie = String(login.headers["set-cookie"]);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      const session = cookie.split(";")[0];
      const page = await rawRequest(server.port, { path: "/", headers: { host, cookie: session } });
      expect(page.status).toBe(200);
      // past the session check, the terminal's own token check answers
      expect(
        await upgradeStatus(server.port, "/api/terminal?scenario=x&token=y", { host, origin, cookie: session }),
      ).toBe(401);
      expect(await upgradeStatus(server.port, "/api/terminal?scenario=x&token=y", { host, origin })).toBe(401);
      const forged = await rawRequest(server.port, { path: "/", headers: { host, cookie: "ica_session=forged" } });
      expect(forged.status).toBe(303);
    },
    TEST_TIMEOUT,
  );
});

describe("beyond loopback with ICA_AUTH=none", () => {
  let server: Started;
  beforeAll(async () => {
    server = await startServer("none", { HOST: "0.0.0.0", ICA_AUTH: "none" });
  }, START_TIMEOUT);
  afterAll(async () => {
    await server?.stop();
  });

  it(
    "serves without a login and says in red that anyone who can reach it gets a shell",
    async () => {
      // the server's own HOST value is allowed as a Host
      const page = await rawRequest(server.port, { path: "/", headers: { host: `0.0.0.0:${server.port}` } });
      expect(page.status).toBe(200);
      const out = server.output();
      const red = out.indexOf("\u001b[31m");
      const warning = out.indexOf("anyone who can reach this port gets a shell");
      expect(red).toBeGreaterThanOrEqual(0);
      expect(warning).toBeGreaterThan(red);
      expect(out.slice(red, warning)).not.toContain("\u001b[0m"); // still red
      expect(server.output()).not.toContain("/login?secret=");
    },
    TEST_TIMEOUT,
  );
});

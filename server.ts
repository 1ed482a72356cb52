// The app's HTTP server: Next.js for pages and API routes, plus the WebSocket upgrades
// (`next start` cannot upgrade connections). Local mode listens on 127.0.0.1 only. Every request
// and upgrade passes lib/access first: the Host allow-list, the body limit, the login.
import { createServer } from "node:http";
import next from "next";
import { listAllowedHostOrigins, readAccessConfig } from "./lib/access/access-config";
import { ensureAccessSecret } from "./lib/access/access-secret";
import { FRAME_HEADERS, gateRequest } from "./lib/access/gate-request";
import { gateUpgrade, refuseUpgrade } from "./lib/access/gate-upgrade";
import { EnvError, readEnv } from "./lib/env";
import { accessSecretPath } from "./lib/paths";
import { migrateDatabase } from "./lib/progress/migrate";
import { listAllowedOrigins } from "./lib/terminal/allowed-origins";
import { handleTerminalUpgrade } from "./lib/terminal/handle-terminal-upgrade";
import { readTerminalConfig } from "./lib/terminal/terminal-config";
import { endAllTerminalSessions } from "./lib/terminal/terminal-sessions";

// Read now so a bad ICA_* value stops the server at start, naming the variable.
const [config, access] = (() => {
  try {
    return [readEnv(), readAccessConfig()] as const;
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
})();
const { HOST, PORT } = config;
const dev = config.NODE_ENV !== "production";
const allowedOrigins = listAllowedOrigins(HOST, PORT, [
  ...readTerminalConfig().extraOrigins,
  ...listAllowedHostOrigins(access),
]);
const secretFile = accessSecretPath();
const newSecret = access.isLoginRequired ? ensureAccessSecret(secretFile) : undefined;

const migration = await migrateDatabase();
if (migration.applied.length > 0) console.log(`database: applied ${migration.applied.join(", ")}`);

const app = next({ dev, hostname: HOST, port: PORT });
const handle = app.getRequestHandler();
await app.prepare();
const upgradeNext = app.getUpgradeHandler();

const server = createServer((req, res) => {
  for (const [name, value] of Object.entries(FRAME_HEADERS)) res.setHeader(name, value);
  const gate = gateRequest(req, access, { dev });
  if (!gate.pass) {
    res.writeHead(gate.status, gate.headers).end(gate.body);
    return;
  }
  handle(req, res).catch((e) => {
    console.error(e);
    res.statusCode = 500;
    res.end("internal error");
  });
});

// The terminal; Next's hot reload in development; every other upgrade is refused at once.
server.on("upgrade", (req, socket, head) => {
  const route = gateUpgrade(req, access, { dev });
  if ("refuse" in route) refuseUpgrade(socket, route.refuse);
  else if (route.to === "terminal") handleTerminalUpgrade(req, socket, head, { allowedOrigins });
  else upgradeNext(req, socket, head).catch(() => socket.destroy());
});

const RED = (s: string) => `\x1b[31m${s}\x1b[0m`;
const hostInUrl = HOST.includes(":") ? `[${HOST}]` : HOST;

server.listen(PORT, HOST, () => {
  console.log(`ICA Practice on http://${hostInUrl}:${PORT} (${dev ? "development" : "production"})`);
  if (access.isOpenBeyondLoopback) {
    console.warn(
      RED(
        `\n!!! ICA_AUTH=none and listening on ${HOST}: anyone who can reach this port gets a shell on this machine\n` +
          "!!! and runs commands as this user. Unset ICA_AUTH to require the access secret.\n",
      ),
    );
  }
  if (access.isLoginRequired) {
    const names = access.allowedHosts.map((h) => (h.port ? `${h.hostname}:${h.port}` : h.hostname));
    console.log(
      `\nA login with the access secret is required (ICA_AUTH=secret, or HOST beyond loopback).\n` +
        `Host names served: loopback${names.length > 0 ? `, ${names.join(", ")}` : ""} (add more with ICA_ALLOWED_HOSTS).`,
    );
    if (newSecret) {
      console.log(
        `New access secret, shown only now (only its hash is kept, in ${secretFile}). Log in at:\n` +
          `  http://${hostInUrl}:${PORT}/login?secret=${newSecret}\n` +
          (HOST === "0.0.0.0" || HOST === "::"
            ? "  (with this machine's name or address in place of the wildcard)\n"
            : ""),
      );
    } else {
      console.log(
        `Log in with the access secret shown at its first start (its hash is in ${secretFile};\n` +
          "delete that file and restart for a new secret).\n",
      );
    }
  }
});

// Shells get their SIGHUP/SIGTERM/SIGKILL steps before the server exits; a second signal exits at once.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close();
    void endAllTerminalSessions().finally(() => process.exit(0));
  });
}

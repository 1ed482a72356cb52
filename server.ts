// The app's HTTP server: Next.js for pages and API routes, plus the WebSocket upgrades
// (`next start` cannot upgrade connections). Local mode listens on 127.0.0.1 only.
import { createServer } from "node:http";
import next from "next";
import { EnvError, isLoopback, readEnv } from "./lib/env";
import { migrateDatabase } from "./lib/progress/migrate";
import { listAllowedOrigins } from "./lib/terminal/allowed-origins";
import { handleTerminalUpgrade } from "./lib/terminal/handle-terminal-upgrade";
import { readTerminalConfig } from "./lib/terminal/terminal-config";
import { endAllTerminalSessions } from "./lib/terminal/terminal-sessions";

// Read now so a bad ICA_* value stops the server at start, naming the variable.
const config = (() => {
  try {
    return readEnv();
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
})();
const { HOST, PORT } = config;
const dev = config.NODE_ENV !== "production";
const allowedOrigins = listAllowedOrigins(HOST, PORT, readTerminalConfig().extraOrigins);

const migration = await migrateDatabase();
if (migration.applied.length > 0) console.log(`database: applied ${migration.applied.join(", ")}`);

const app = next({ dev, hostname: HOST, port: PORT });
const handle = app.getRequestHandler();
await app.prepare();
const upgradeNext = app.getUpgradeHandler();

const server = createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error(e);
    res.statusCode = 500;
    res.end("internal error");
  });
});

// The terminal first; everything else (hot reload in development) is Next's.
server.on("upgrade", (req, socket, head) => {
  if (handleTerminalUpgrade(req, socket, head, { allowedOrigins })) return;
  upgradeNext(req, socket, head).catch(() => socket.destroy());
});

server.listen(PORT, HOST, () => {
  console.log(
    `ICA Practice on http://${HOST.includes(":") ? `[${HOST}]` : HOST}:${PORT} (${dev ? "development" : "production"})`,
  );
  if (!isLoopback(HOST)) {
    console.warn(
      `\n!!! WARNING: listening on ${HOST}, not loopback. The terminal is a shell on this machine:\n` +
        "!!! anyone who can reach this port and get a session token can run commands as this user.\n" +
        `!!! The terminal accepts pages from: ${allowedOrigins.join(", ")} (add more with ICA_TERMINAL_ORIGINS).\n`,
    );
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

// npm start: build the production bundle when the sources changed since the last build, then serve.
// npm run build (--build-only): build and record the stamp, so a later start does not build again.
//
// The server runs in a child process of its own (own session: a Ctrl-C or a signal to this
// process group reaches it once, through here), so stopping `npm start` stops the server and
// waits for it: the server ends the terminal's shells and everything they started before it exits.
// - SIGINT/SIGTERM here are passed on; SIGHUP (the terminal closed) as SIGTERM.
// - `npm start` on SIGTERM does not pass it on (npm kills the `sh -c` between it and tsx, and
//   exits): under npm, this process checks every second that the `sh -c` is still there.
// - If this process dies (SIGKILL), the server sees its IPC channel close and stops itself.
// Exits with the server's exit code.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const STAMP = ".next/ica-source-stamp";
const SOURCES = ["app", "components", "lib", "next.config.js", "postcss.config.mjs", "package-lock.json"];
const SELF = fileURLToPath(import.meta.url);
const SERVER = path.join(path.dirname(SELF), "..", "server.ts");
const SERVE_FLAG = "--serve";
/** a signal that reached the server directly (a process group, a cgroup) wins over ours */
const FORWARD_DELAY_MS = 200;
/** the tsx loader, found from here: the child may start in another folder */
const TSX = import.meta.resolve("tsx");

/** A hash of the sources' paths, sizes and mtimes: cheap, and changes on any edit. */
function sourceStamp(): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p) || p.includes("node_modules") || p.includes(`lib${path.sep}generated`)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    else hash.update(`${p}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const s of SOURCES) walk(s);
  return hash.digest("hex");
}

/** Resolves with the child's exit code (128 + the signal's number when a signal ended it). */
function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? osSignalNumber(signal) : 0)));
  });
}

function osSignalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

/** Runs `next build`, passing SIGINT/SIGTERM/SIGHUP on to it. */
async function build(): Promise<number> {
  const child = spawn("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, forward);
  const code = await waitForExit(child);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(signal, forward);
  return code;
}

/** pid → parent pid from /proc; undefined when the process is gone (or there is no /proc). */
function readParentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/**
 * Starts `entry` (server.ts) in a child process of its own and waits for it; SIGINT/SIGTERM
 * (SIGHUP as SIGTERM) are passed on, and so is the end of the `npm start` that started this one.
 * Resolves with the server's exit code.
 */
export async function serveInChild(entry: string, args: string[] = []): Promise<number> {
  const child = spawn(process.execPath, ["--import", TSX, SELF, SERVE_FLAG, entry, ...args], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
    env: process.env,
  });
  const stop = (signal: NodeJS.Signals) => {
    if (child.connected) child.send({ type: "stop", signal });
    else child.kill(signal);
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal === "SIGHUP" ? "SIGTERM" : signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

  // Under npm the chain is npm → sh -c → tsx → this; npm's SIGTERM ends the sh and npm, not us.
  let launcherWatch: NodeJS.Timeout | undefined;
  const parent = process.ppid;
  const launcher = readParentPid(parent);
  if (process.env.npm_lifecycle_event && launcher !== undefined) {
    launcherWatch = setInterval(() => {
      if (readParentPid(parent) === launcher && readParentPid(launcher) !== undefined) return;
      clearInterval(launcherWatch);
      stop("SIGTERM");
    }, 1000);
  }
  const code = await waitForExit(child);
  clearInterval(launcherWatch);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(signal, onSignal);
  return code;
}

/**
 * The child's side: loads the server, and turns a stop from the parent into one SIGINT/SIGTERM to
 * itself, unless the same signal reached it directly (a process group's, a cgroup's): a second one
 * would make the server exit at once. When the parent is gone (SIGKILL), stops once, unless
 * stopping already.
 */
async function serve(entry: string): Promise<void> {
  let lastSignalAt = Number.NEGATIVE_INFINITY;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      lastSignalAt = Date.now();
      // before the server has its own handlers (while it starts): stop as if we had none
      if (process.listenerCount(signal) === 1) process.exit(128 + osSignalNumber(signal));
    });
  }
  process.on("message", (message: { type?: string; signal?: NodeJS.Signals }) => {
    if (message?.type !== "stop") return;
    const receivedAt = Date.now();
    setTimeout(() => {
      if (lastSignalAt < receivedAt - FORWARD_DELAY_MS)
        process.kill(process.pid, message.signal === "SIGINT" ? "SIGINT" : "SIGTERM");
    }, FORWARD_DELAY_MS);
  });
  process.on("disconnect", () => {
    if (lastSignalAt === Number.NEGATIVE_INFINITY) process.kill(process.pid, "SIGTERM");
  });
  process.channel?.unref();
  // argv: node SELF --serve entry ...args; the server reads its own arguments from process.argv
  process.argv.splice(1, 2);
  await import(entry);
}

async function main(): Promise<void> {
  if (process.argv[2] === SERVE_FLAG) {
    await serve(path.resolve(process.argv[3]));
    return;
  }
  const stamp = sourceStamp();
  const built = existsSync(".next/BUILD_ID") && existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp;
  const buildOnly = process.argv.includes("--build-only");
  if (!built || buildOnly) {
    console.log("Building the app (about a minute)...");
    const started = Date.now();
    const code = await build();
    if (code !== 0) process.exit(code);
    writeFileSync(STAMP, stamp);
    console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
  }
  if (!buildOnly) {
    Object.assign(process.env, { NODE_ENV: "production" });
    process.exit(await serveInChild(SERVER));
  }
}

// Imported (by a test) it only provides serveInChild.
if (process.argv[1] && path.resolve(process.argv[1]) === SELF) await main();

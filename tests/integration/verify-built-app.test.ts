// A scenario's verify.ts, checked through the built app (`npm start`: the production bundle
// served by server.ts under tsx), not through vitest's own loader. Needs no cluster: the custom
// check reads no kinds, so Check builds no snapshot, and the kubeconfig points at a closed port.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { brokenCopy, copyScenarios } from "../unit/scenario-fixtures";

// No imports: a verify.ts in a temporary folder cannot resolve packages from the repo.
const VERIFY = `export const podCount = {
  name: "podCount",
  description: "counts nothing",
  params: { safeParse: (v: unknown) => ({ success: true, data: v }) },
  kinds: [],
  run: (p: { min: number }) => ({ status: p.min > 0 ? "fail" : "pass", message: "counted the pods" }),
};`;

let server: ChildProcess | undefined;
let output = "";
let base = "";
const dirs: string[] = [];

beforeAll(async () => {
  const root = copyScenarios([]);
  // One verify.ts loads as CommonJS (no package.json above it), one as an ES module, as in the repo.
  for (const id of ["custom", "custom-esm"]) {
    const scenario = brokenCopy(root, "traffic-mirroring", id, (y) =>
      y.replace(
        "    checks:\n      - use: destinationrule.subsets",
        "    checks:\n      - fn: podCount\n        with: { min: 1 }\n      - use: destinationrule.subsets",
      ),
    );
    writeFileSync(path.join(scenario, "verify.ts"), VERIFY);
    if (id === "custom-esm") writeFileSync(path.join(scenario, "package.json"), '{ "type": "module" }\n');
  }
  const work = mkdtempSync(path.join(tmpdir(), "ica-built-verify-"));
  dirs.push(root, work);
  const kubeconfig = path.join(work, "kubeconfig");
  writeFileSync(kubeconfig, closedKubeconfig(await freePort()));

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // scripts/start.ts builds when the sources changed since the last build, then serves.
  const { ICA_GRADER_KUBECONFIG: _, ...env } = process.env;
  // tsx itself, not npx: start.ts exits only after its server child has stopped.
  server = spawn(path.join("node_modules", ".bin", "tsx"), ["scripts/start.ts"], {
    env: {
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      ICA_CLUSTER: "current",
      KUBECONFIG: kubeconfig,
      ICA_SCENARIOS_DIR: root,
      DATABASE_URL: `file:${path.join(work, "t.db")}`,
      ICA_WORKSPACES_DIR: path.join(work, "workspaces"),
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  server.stdout?.on("data", (d) => {
    output += d;
  });
  server.stderr?.on("data", (d) => {
    output += d;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("ICA Practice on")) {
        clearInterval(timer);
        resolve();
      }
    }, 200);
    server?.on("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`the server exited (${code}):\n${output}`));
    });
  });
}, 900_000);

afterAll(async () => {
  const pid = server?.pid;
  if (pid && server?.exitCode === null) {
    // npm start stops its server child on SIGTERM and waits for it; SIGKILL if it takes too long.
    const exited = new Promise((resolve) => server?.on("exit", resolve));
    signalGroup(pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 30_000);

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

it.each(["custom", "custom-esm"])(
  "the player's Check loads verify.ts in the built app and runs its check (%s)",
  { timeout: 60_000 },
  async (id) => {
    const res = await fetch(`${base}/api/scenarios/${id}/check`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ taskId: "subsets" }),
    });
    expect(res.status, output).toBe(200);
    const view = (await res.json()) as { results: { id: string; status: string; message: string }[] };
    const custom = view.results.find((r) => r.id === "subsets/podCount");
    expect(custom, JSON.stringify(view.results)).toMatchObject({ status: "fail", message: "counted the pods" });
  },
);

function closedKubeconfig(port: number): string {
  return `apiVersion: v1
kind: Config
clusters:
  - name: closed
    cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true }
users:
  - name: closed
    user: { token: nothing }
contexts:
  - name: closed
    context: { cluster: closed, user: closed }
current-context: closed
`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

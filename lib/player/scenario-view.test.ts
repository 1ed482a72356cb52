import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { brokenCopy, copyScenarios } from "../../tests/unit/scenario-fixtures";

const work = mkdtempSync(path.join(tmpdir(), "ica-scenario-view-"));
const root = copyScenarios(["traffic-mirroring"]);
// An API server that accepts connections and never answers.
const sockets = new Set<Socket>();
const silent: Server = createServer((s) => {
  sockets.add(s);
  s.on("close", () => sockets.delete(s));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as { port: number };
  const kubeconfig = path.join(work, "kubeconfig");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - name: silent
    cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true }
users:
  - name: silent
    user: { token: nothing }
contexts:
  - name: silent
    context: { cluster: silent, user: silent }
current-context: silent
`,
  );
  Object.assign(process.env, {
    ICA_SCENARIOS_DIR: root,
    DATABASE_URL: `file:${path.join(work, "t.db")}`,
    ICA_CLUSTER: "current",
    KUBECONFIG: kubeconfig,
  });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  rmSync(work, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

// The 3 s bound is the view's own timeout; the message says it fired (a wall-clock assertion
// here failed on a loaded CI machine while the timeout worked).
it("renders when the cluster does not answer, and says it gave up after 3 s", { timeout: 30_000 }, async () => {
  const { getScenarioView } = await import("./scenario-view");
  const view = await getScenarioView("traffic-mirroring");
  if (!view?.ok) throw new Error(JSON.stringify(view));
  expect(view.cluster).toMatchObject({ driver: "current", prepared: null });
  expect(view.cluster.problem).toMatch(/did not answer within 3 s/);
});

it("shows a scenario whose check names no built-in check as broken, at its line", { timeout: 30_000 }, async () => {
  brokenCopy(root, "traffic-mirroring", "unknown-check", (y) =>
    y.replace("use: virtualservice.mirror", "use: virtualservice.nope"),
  );
  const { getScenarioView } = await import("./scenario-view");
  const view = await getScenarioView("unknown-check");
  expect(view).toEqual({
    ok: false,
    id: "unknown-check",
    errors: [expect.stringMatching(/\/unknown-check\/scenario\.yaml:42:9: unknown check 'virtualservice\.nope'$/)],
  });
});

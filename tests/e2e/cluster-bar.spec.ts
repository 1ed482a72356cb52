// The cluster bar and the Istio versions on the kind driver, without Docker: a second server of
// its own (ICA_CLUSTER=kind) whose PATH starts with the stand-in docker, kind, kubectl and
// istioctl (tests/fixtures/kind-standins), and whose catalog is two fixture scenarios with
// different `istio:` ranges. The stand-ins answer from a state file the tests rewrite, so one
// server shows a cluster running another Istio, then a stopped one that the bar's button repairs.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { createStandins, type StandinState } from "../fixtures/kind-standins/standins";

const SCENARIOS = path.resolve("tests/fixtures/istio-range-scenarios");
const RESULTS = path.resolve("test-results");
/** What the stand-in kind writes (tests/fixtures/kind-standins/standin.cjs). */
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster: {server: "https://127.0.0.1:41234", certificate-authority-data: ""}
  name: kind-ica-practice
contexts:
- context: {cluster: kind-ica-practice, user: kind-ica-practice}
  name: kind-ica-practice
current-context: kind-ica-practice
users:
- name: kind-ica-practice
  user: {token: standin}
`;
const CLUSTER = { clusters: ["ica-practice"], gatewayApi: true } satisfies StandinState;

test.describe.configure({ mode: "serial" });

let standins: ReturnType<typeof createStandins>;
let server: ChildProcess;
let baseURL: string;

function setCluster(state: StandinState): void {
  writeFileSync(standins.env.KIND_STANDIN_STATE, JSON.stringify(state));
}

/** The server caches a status for 5 s: wait until it shows the state just written. */
async function waitForStatus(page: Page, isShown: (view: Record<string, unknown>) => boolean): Promise<void> {
  await expect
    .poll(async () => isShown(await (await page.request.get(`${baseURL}/api/cluster`)).json()), { timeout: 30_000 })
    .toBe(true);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  standins = createStandins();
  const kindDir = path.join(standins.env.ICA_CACHE_DIR, "kind");
  mkdirSync(kindDir, { recursive: true });
  writeFileSync(path.join(kindDir, "kubeconfig"), KUBECONFIG);
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  const { KUBECONFIG: _, ICA_ISTIO_VERSION: __, ...inherited } = process.env;
  // scripts/start.ts serves the build the main web server made (it builds only when sources changed)
  server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...inherited,
      ...standins.env,
      // the stand-ins first; the rest of PATH for the server itself (the terminal's shell)
      PATH: `${path.join(standins.dir, "bin")}:${process.env.PATH}`,
      PORT: String(port),
      HOST: "127.0.0.1",
      ICA_CLUSTER: "kind",
      ICA_SCENARIOS_DIR: SCENARIOS,
      DATABASE_URL: `file:${path.join(standins.dir, "e2e.db")}`,
      ICA_WORKSPACES_DIR: path.join(standins.dir, "workspaces"),
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  mkdirSync(RESULTS, { recursive: true });
  const log = createWriteStream(path.join(RESULTS, "e2e-kind-server.log"));
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const deadline = Date.now() + 280_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the kind server exited (${server.exitCode}): see ${log.path}`);
    const res = await fetch(`${baseURL}/api/cluster`).catch(() => undefined);
    if (res?.ok) break;
    if (Date.now() > deadline) throw new Error(`the kind server did not answer on ${baseURL}: see ${log.path}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM"); // scripts/start.ts passes it on to the server and waits for it
    await exited;
  }
  if (standins) rmSync(standins.dir, { recursive: true, force: true });
});

test("the catalog shows the exam's and the running Istio version and marks a scenario not written for it", async ({
  page,
}) => {
  // a kind cluster running Istio 1.29.0 while the exam's is 1.26.8 (ICA_ISTIO_VERSION's default)
  setCluster({ ...CLUSTER, nodeRunning: true, istio: "1.29.0", samples: true, grader: true, prober: true });
  await waitForStatus(page, (view) => view.istioVersion === "1.29.0");

  await page.goto(`${baseURL}/`);
  await expect(page.locator("[data-exam-istio]")).toHaveAttribute("data-exam-istio", "1.26.8");
  await expect(page.locator("[data-exam-istio]")).toContainText("Exam Istio version 1.26.8 (ICA_ISTIO_VERSION)");
  await expect(page.locator("[data-running-istio]")).toHaveText("· the kind cluster runs Istio 1.29.0");

  const only126 = page.locator('[data-scenario="istio-1-26-only"]');
  await expect(only126).toHaveAttribute("data-istio-range", "1.26.x");
  const badge = only126.locator("[data-istio-unsupported]");
  await expect(badge).toHaveText("not for Istio 1.29");
  await expect(badge).toHaveAttribute("title", /Written for Istio 1\.26\.x; the running cluster has Istio 1\.29\.0/);
  // ">=1.26" includes 1.29.0: no mark
  await expect(page.locator('[data-scenario="any-istio"]')).toBeVisible();
  await expect(page.locator('[data-scenario="any-istio"] [data-istio-unsupported]')).toHaveCount(0);
  await expect(page.locator("[data-istio-unsupported]")).toHaveCount(1);
  await page.screenshot({ path: "test-results/catalog-istio-versions.png", fullPage: true });

  // the scenario page says the same in its cluster bar, beside the running version
  await only126.getByRole("link").click();
  const status = page.locator("[data-cluster-status]");
  await expect(status).toContainText("Istio 1.29.0 (the exam runs 1.26.8)");
  await expect(status.locator("[data-istio-unsupported]")).toHaveText("not for Istio 1.29");
  await page.screenshot({ path: "test-results/scenario-istio-unsupported.png" });
});

test("the cluster bar shows driver, versions and readiness, and Repair streams its progress until ready", async ({
  page,
}) => {
  // a stopped node whose cluster lacks the sample apps, the prober and Check's credential
  setCluster({ ...CLUSTER, nodeRunning: false, istio: "1.26.8" });
  await waitForStatus(page, (view) => String(view.problem).includes("not running (up starts it)"));
  const callsBefore = standins.calls().length;

  await page.goto(`${baseURL}/scenarios/any-istio`);
  const status = page.locator("[data-cluster-status]");
  await expect(status).toHaveAttribute("data-cluster-status", "not-ready");
  await expect(status.getByText("kind", { exact: true })).toBeVisible();
  await expect(status).toContainText("ica-practice-control-plane: not running (up starts it)");
  const button = status.locator("[data-cluster-up]");
  await expect(button).toHaveText("Repair cluster");

  // every text the progress log shows, as it shows it (it closes when the up ends)
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { upLog: string[] }).upLog = seen;
    new MutationObserver(() => {
      const text = document.querySelector("[data-cluster-up-log]")?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await button.click();
  await expect(status).toHaveAttribute("data-cluster-status", "ready", { timeout: 90_000 });

  await expect(status).toContainText("Kubernetes v1.33.1");
  await expect(status).toContainText("Istio 1.26.8");
  await expect(status).not.toContainText("the exam runs");
  const summary = status.locator("details summary").first();
  await expect(summary).toHaveText(/^(\d+)\/\1 ready$/);
  await summary.click();
  await expect(status).toContainText("✓ curl: 1/1 available");
  await expect(status).toContainText("✓ Check's credential: read-only");
  await expect(status.locator("[data-cluster-up]")).toHaveCount(0);
  await expect(status.locator("[data-istio-unsupported]")).toHaveCount(0);
  await page.screenshot({ path: "test-results/cluster-bar-repaired.png" });

  const snapshots = await page.evaluate(() => (window as unknown as { upLog: string[] }).upLog);
  const shown = snapshots.at(-1)?.split("\n") ?? [];
  expect(shown).toEqual(
    expect.arrayContaining([
      "using the kind driver: Docker 28.3.3 answers and kind v0.29.0 works",
      "starting the stopped node ica-practice-control-plane",
      "reusing the kind cluster ica-practice; installing what it lacks: the sample apps, the prober (traffic checks)",
    ]),
  );
  // streamed: the page showed the log growing, not only all of it at the end
  expect(snapshots.length, snapshots.join("\n---\n")).toBeGreaterThan(2);
  expect(snapshots[0].split("\n").length).toBeLessThan(shown.length);

  // what ran: the node started, then the missing pieces installed
  const calls = standins.calls().slice(callsBefore);
  expect(calls).toContain("docker start ica-practice-control-plane");
  expect(calls.some((c) => c.includes("apply --server-side -n samples"))).toBe(true);
  expect(standins.state()).toMatchObject({ nodeRunning: true, samples: true, prober: true, grader: true });
});

// An install task in the player, on the lite driver: Set up starts the bare cluster over and sets
// the scenario up there, the page says so, Check reads that cluster (fails before the answer,
// passes after it), and a second Set up starts over again, so the answer is gone.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bareActiveCluster, createBareDriver } from "../../lib/cluster/bare-cluster";
import { runScript } from "../../lib/cluster/run-script";
import { checkTask } from "../../lib/player/check-task";
import { resetScenario } from "../../lib/player/reset-scenario";
import { getScenarioView } from "../../lib/player/scenario-view";
import { loadScenario } from "../../lib/scenarios/load-scenario";

const SCENARIO = "install-customize";
const store = globalThis as unknown as { icaDb?: { $disconnect(): Promise<void> } };
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ica-install-task-"));
  vi.stubEnv("DATABASE_URL", `file:${path.join(dir, "progress.db")}`);
  vi.stubEnv("ICA_CLUSTER", "lite");
  store.icaDb = undefined;
});

afterAll(async () => {
  await store.icaDb?.$disconnect();
  store.icaDb = undefined;
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
  await createBareDriver().down(() => {});
});

describe("an install task in the player", () => {
  it("is set up on a bare cluster started over, and checked there", { timeout: 300_000 }, async () => {
    const loaded = loadScenario(SCENARIO);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const install = loaded.scenario.tasks.find((t) => t.id === "install");
    if (!install) throw new Error("no task install");

    const lines: string[] = [];
    const outcome = await resetScenario(SCENARIO, (l) => lines.push(l));
    expect(outcome.cluster).toBe("ica-lite-bare");
    expect(lines.join("\n")).toContain("Starting over from a bare cluster");
    const view = await getScenarioView(SCENARIO);
    expect(view?.ok && view.cluster).toEqual({ driver: "lite", name: "ica-lite-bare", prepared: true, bare: true });

    const before = await checkTask(SCENARIO, "install");
    expect(before.cluster).toBe("ica-lite-bare");
    expect(before.state).toBe("failed");
    expect(before.results.find((r) => r.id === "install/istiod")?.message).toContain("not installed");

    const answered = await runScript(bareActiveCluster(), install.solution);
    expect(answered.ok, answered.ok ? "" : answered.message).toBe(true);
    const after = await checkTask(SCENARIO, "install");
    expect(after.results.filter((r) => r.status !== "pass")).toEqual([]);

    // Reset starts over from bare: the install is gone
    await resetScenario(SCENARIO, () => {});
    const again = await checkTask(SCENARIO, "install");
    expect(again.results.find((r) => r.id === "install/istiod")?.status).toBe("fail");
  });
});

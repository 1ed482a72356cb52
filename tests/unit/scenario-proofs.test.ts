import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../lib/scenarios/load-catalog";
import { proveFromFiles } from "../../lib/scenarios/prove-scenario";

// Every scenario in the repository, proved from its files: setup fails, solution passes,
// each mistake fails the checks it names. The same proof runs live on the lite cluster in
// tests/integration/scenario-proofs-live.test.ts.
const catalog = loadCatalog();

describe.each(catalog.map((r) => [r.ok ? r.scenario.id : r.id, r] as const))("scenario %s", (_id, loaded) => {
  it("loads", () => {
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  });

  it.runIf(loaded.ok)("is proved from files", async () => {
    if (!loaded.ok) return;
    const reports = await proveFromFiles(loaded.scenario);
    expect(reports.flatMap((r) => r.problems.map((p) => `${r.stage}: ${p}`))).toEqual([]);
    expect(reports.length).toBe(2 + loaded.scenario.alternatives.length + loaded.scenario.mistakes.length);
  });
});

it("found the example scenarios", () => {
  expect(catalog.map((r) => (r.ok ? r.scenario.id : r.id))).toEqual(
    expect.arrayContaining(["traffic-mirroring", "analyze-short-host"]),
  );
});

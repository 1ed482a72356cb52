// Every scenario in the catalog, proved on the lite cluster through the same code as
// `npm run scenarios:prove -- --live`: a scenario added later is proved here without a line
// of test code.
import { describe, expect, it } from "vitest";
import { resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { loadCatalog } from "../../lib/scenarios/load-catalog";
import { liveTargetOf, proofStages, proveLive, stageName } from "../../lib/scenarios/prove-scenario";

const catalog = loadCatalog();

describe.each(catalog.map((r) => [r.ok ? r.scenario.id : r.id, r] as const))("scenario %s", (_id, loaded) => {
  it("is proved live on the lite cluster", { timeout: 600_000 }, async () => {
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
    const target = liveTargetOf(resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" }));
    if (!target.ok) throw new Error(target.failure.message);
    const reports = await proveLive(loaded.scenario, target.value);
    expect(reports.flatMap((r) => r.problems.map((p) => `${r.stage}: ${p}`))).toEqual([]);
    expect(reports.map((r) => r.stage)).toEqual(proofStages(loaded.scenario).map((s) => stageName(s, loaded.scenario)));
    // the checks really ran on the cluster: the solution's results all pass, none skipped
    expect(reports[1].results.map((r) => r.status)).toEqual(reports[1].results.map(() => "pass"));
  });
});

it("proves at least the two example scenarios", () => {
  expect(catalog.filter((r) => r.ok).length).toBeGreaterThanOrEqual(2);
});

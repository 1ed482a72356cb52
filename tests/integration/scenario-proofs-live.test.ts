// Every scenario in the catalog, proved on the lite cluster through the same code as
// `npm run scenarios:prove -- --live` (side by side where they do not conflict): a scenario added
// later is proved here without a line of test code.
import { beforeAll, describe, expect, it } from "vitest";
import { resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { loadCatalog } from "../../lib/scenarios/load-catalog";
import { proveCatalogLive, type ScenarioProof } from "../../lib/scenarios/prove-catalog";
import { liveTargetOf, proofStages, stageName } from "../../lib/scenarios/prove-scenario";

const catalog = loadCatalog();
const proofs = new Map<string, ScenarioProof>();

beforeAll(async () => {
  const target = liveTargetOf(resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" }));
  if (!target.ok) throw new Error(target.failure.message);
  const scenarios = catalog.flatMap((r) => (r.ok ? [r.scenario] : []));
  for (const proof of await proveCatalogLive(scenarios, target.value)) proofs.set(proof.scenario.id, proof);
}, 1_200_000);

describe.each(catalog.map((r) => [r.ok ? r.scenario.id : r.id, r] as const))("scenario %s", (_id, loaded) => {
  it("is proved live on the lite cluster", () => {
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
    const reports = proofs.get(loaded.scenario.id)?.reports ?? [];
    expect(reports.flatMap((r) => r.problems.map((p) => `${r.stage}: ${p}`))).toEqual([]);
    expect(reports.map((r) => r.stage)).toEqual(proofStages(loaded.scenario).map((s) => stageName(s, loaded.scenario)));
    // the checks really ran on the cluster: with the solution every result is a pass, none skipped
    // but the traffic checks, which lite (no data plane) skips with that reason
    const solved = reports.find((r) => r.stage === "solution")?.results ?? [];
    const isTraffic = (r: { use: string }) => r.use.startsWith("traffic.");
    expect(solved.filter((r) => !isTraffic(r)).map((r) => r.status)).toEqual(
      solved.filter((r) => !isTraffic(r)).map(() => "pass"),
    );
    for (const r of solved.filter(isTraffic)) {
      expect(r.status, r.id).toBe("skipped");
      expect(r.message, r.id).toContain("no data plane");
    }
  });
});

it("proves at least the two example scenarios", () => {
  expect(catalog.filter((r) => r.ok).length).toBeGreaterThanOrEqual(2);
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { brokenCopy, copyScenarios } from "../../tests/unit/scenario-fixtures";

it("groups scenarios by domain and lists a broken one with file:line:column", async () => {
  const root = copyScenarios(["traffic-mirroring", "analyze-short-host"]);
  brokenCopy(root, "traffic-mirroring", "broken-one", (y) => y.replace("points: 4", "points: four"));
  process.env.ICA_SCENARIOS_DIR = root;
  process.env.DATABASE_URL = `file:${path.join(mkdtempSync(path.join(tmpdir(), "ica-db-")), "t.db")}`;
  const { getCatalogView } = await import("./catalog-view");
  const view = await getCatalogView();
  const ids = (domain: string) => view.domains.find((d) => d.id === domain)?.scenarios.map((s) => s.id);
  expect(ids("traffic")).toEqual(["traffic-mirroring"]);
  expect(ids("troubleshooting")).toEqual(["analyze-short-host"]);
  expect(view.domains.find((d) => d.id === "traffic")?.weight).toBe(35);
  expect(view.broken).toHaveLength(1);
  expect(view.broken[0].errors[0]).toMatch(/broken-one\/scenario\.yaml:\d+:\d+: tasks\.1\.points/);
  // the exam's Istio version (ICA_ISTIO_VERSION, default 1.26.8) and each card's range
  expect(view.examIstioVersion).toBe("1.26.8");
  expect(view.domains.find((d) => d.id === "traffic")?.scenarios[0].istio).toBe(">=1.26");
});

it("lists a scenario whose check names no built-in check as broken, with file:line:column", async () => {
  const root = copyScenarios(["analyze-short-host"]);
  brokenCopy(root, "traffic-mirroring", "unknown-check", (y) =>
    y.replace("use: virtualservice.mirror", "use: virtualservice.nope"),
  );
  process.env.ICA_SCENARIOS_DIR = root;
  process.env.DATABASE_URL ??= `file:${path.join(mkdtempSync(path.join(tmpdir(), "ica-db-")), "t.db")}`;
  const { getCatalogView } = await import("./catalog-view");
  const view = await getCatalogView();
  const listed = view.domains.flatMap((d) => d.scenarios.map((s) => s.id));
  expect(listed).toEqual(["analyze-short-host"]);
  expect(view.broken.map((b) => b.id)).toEqual(["unknown-check"]);
  expect(view.broken[0].errors).toEqual([
    // line 42 of traffic-mirroring's scenario.yaml: `      - use: virtualservice.mirror`
    expect.stringMatching(/\/unknown-check\/scenario\.yaml:42:9: unknown check 'virtualservice\.nope'$/),
  ]);
});

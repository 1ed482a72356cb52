import path from "node:path";
import { expect, test } from "@playwright/test";
import { loadCatalog } from "../../lib/scenarios/load-catalog";
import { openFreshScenario, terminalOf, typeInTerminal } from "./player-helpers";

const DESTINATION_RULE = path.resolve("scenarios/traffic-mirroring/solution/destinationrule.yaml");

/** The catalog's points in Traffic Management, counted here from the scenario files. */
function trafficPoints(): number {
  return loadCatalog()
    .flatMap((r) => (r.ok && r.scenario.domain === "traffic" ? r.scenario.tasks : []))
    .reduce((n, t) => n + t.points, 0);
}

// traffic-mirroring is the only Traffic Management scenario the browser tests Check, and this test
// Checks both its tasks, so the latest result of every traffic task is this test's whatever ran before.
test("Checks in the player show on the dashboard: the domain's readiness, the attempt in the history, the competency to work on", async ({
  page,
}) => {
  await openFreshScenario(page, "traffic-mirroring");
  await typeInTerminal(page, `kubectl apply -f ${DESTINATION_RULE}`);
  await expect(terminalOf(page)).toContainText("destinationrule.networking.istio.io/helloworld", { timeout: 60_000 });
  const subsets = page.locator('[data-task-check="subsets"]');
  await subsets.getByRole("button", { name: "Check" }).click();
  await expect(subsets).toHaveAttribute("data-state", "passed");
  const mirror = page.locator('[data-task-check="mirror"]');
  await mirror.getByRole("button", { name: "Check" }).click();
  await expect(mirror).toHaveAttribute("data-state", "failed");

  await page.goto("/dashboard");
  // subsets: 2 of the scenario's 6 points; mirror: 0 of 4 (no VirtualService, both its checks fail)
  const ready = `${Math.round((100 * 2) / trafficPoints())}%`;
  const traffic = page.locator('[data-readiness="traffic"]');
  await expect(traffic.locator("[data-ready]")).toHaveText(ready);
  await expect(traffic.locator("[data-tried]")).toHaveText(/^2 of \d+$/);
  // the chart draws the same value as a label on its bar
  const barLabels = page.locator('[data-chart="readiness"] [data-plot] .recharts-label-list');
  await expect(barLabels.getByText(ready, { exact: true })).toBeVisible();

  const attempt = page.locator('[data-history="practice"][data-scenario="traffic-mirroring"]');
  await expect(attempt).toHaveCount(1);
  await expect(attempt.locator("[data-score]")).toHaveText("33% (2/6 pts)");
  await expect(attempt).toContainText("2 of 2 tasks checked");
  await expect(attempt.getByRole("link")).toHaveAttribute("href", "/scenarios/traffic-mirroring");
  const pointLabels = page.locator('[data-chart="history"] [data-plot] .recharts-label-list');
  await expect(pointLabels.getByText("33%", { exact: true })).toBeVisible();

  const shifting = page.locator('[data-competency="Traffic shifting"]');
  await expect(shifting.locator("[data-competency-score]")).toHaveText(/^33% on 2 of \d+ tasks tried$/);
  await expect(shifting.locator('[data-scenario-link="traffic-mirroring"]')).toHaveAttribute(
    "href",
    "/scenarios/traffic-mirroring",
  );
  await page.screenshot({ path: "test-results/dashboard.png", fullPage: true });
  // The README's picture: UPDATE_README_SCREENSHOT=1 npx playwright test tests/e2e/dashboard.spec.ts
  if (process.env.UPDATE_README_SCREENSHOT) await page.screenshot({ path: "docs/dashboard.png", fullPage: true });

  // a link from the weakest competencies opens the scenario
  await shifting.locator('[data-scenario-link="traffic-mirroring"]').click();
  await expect(page).toHaveURL(/\/scenarios\/traffic-mirroring$/);
  await expect(page.locator('[data-task-check="subsets"]')).toHaveAttribute("data-state", "passed");
});

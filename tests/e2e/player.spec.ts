import path from "node:path";
import { expect, test } from "@playwright/test";
import { openFreshScenario, typeInTerminal } from "./player-helpers";

const SOLUTION = path.resolve("scenarios/traffic-mirroring/solution");

test("a learner fails, solves in the terminal, passes, and the pass survives a reload", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator('[data-scenario="traffic-mirroring"]')).toBeVisible();
  await expect(page.locator('[data-scenario="analyze-short-host"]')).toBeVisible();
  await page.screenshot({ path: "test-results/catalog.png", fullPage: true });

  // A fresh cluster has no mirror-lab: the page sets the scenario up by itself; otherwise it is reset.
  await openFreshScenario(page, "traffic-mirroring");

  const mirror = page.locator('[data-task-check="mirror"]');
  await mirror.getByRole("button", { name: "Check" }).click();
  await expect(mirror).toHaveAttribute("data-state", "failed");
  await expect(mirror.locator('[data-status="fail"]').first()).toContainText(/VirtualService|helloworld/);
  await page.screenshot({ path: "test-results/check-failed.png" });

  await typeInTerminal(page, `kubectl apply -f ${SOLUTION}`);
  await expect(page.locator(".xterm")).toContainText("virtualservice.networking.istio.io/helloworld created", {
    timeout: 60_000,
  });

  for (const task of ["subsets", "mirror"]) {
    const panel = page.locator(`[data-task-check="${task}"]`);
    await panel.getByRole("button", { name: "Check" }).click();
    await expect(panel).toHaveAttribute("data-state", "passed");
  }
  await page.screenshot({ path: "test-results/check-passed.png" });
  // The README's picture: UPDATE_README_SCREENSHOT=1 npx playwright test
  if (process.env.UPDATE_README_SCREENSHOT) await page.screenshot({ path: "docs/screenshot.png" });

  await page.reload();
  await expect(page.locator('[data-task-check="mirror"]')).toHaveAttribute("data-state", "passed");
  await expect(page.locator('[data-task-check="subsets"]')).toHaveAttribute("data-state", "passed");

  await page.goto("/");
  await expect(page.locator('[data-scenario="traffic-mirroring"]')).toContainText("passed");
});

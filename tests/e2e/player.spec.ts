import path from "node:path";
import { expect, type Page, test } from "@playwright/test";

const SOLUTION = path.resolve("scenarios/traffic-mirroring/solution");

async function typeInTerminal(page: Page, command: string) {
  await page.locator(".xterm").click();
  await page.keyboard.type(command);
  await page.keyboard.press("Enter");
}

test("a learner fails, solves in the terminal, passes, and the pass survives a reload", async ({ page }) => {
  page.on("dialog", (d) => d.accept());
  await page.goto("/");
  await expect(page.locator('[data-scenario="traffic-mirroring"]')).toBeVisible();
  await expect(page.locator('[data-scenario="analyze-short-host"]')).toBeVisible();
  await page.screenshot({ path: "test-results/catalog.png", fullPage: true });

  await page.goto("/scenarios/traffic-mirroring");
  // A fresh cluster has no mirror-lab: the page sets the scenario up by itself; otherwise reset it.
  const reset = page.getByRole("button", { name: "Reset" });
  if (await reset.isVisible()) await reset.click();
  await expect(page.getByRole("button", { name: "Reset" })).toBeVisible({ timeout: 150_000 });
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");

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

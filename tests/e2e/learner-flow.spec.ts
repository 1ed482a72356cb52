import path from "node:path";
import { expect, test } from "@playwright/test";
import { readLiteState } from "../../lib/cluster/drivers/lite-state";
import { openFreshScenario, terminalOf, typeInTerminal } from "./player-helpers";

const SOLUTION = path.resolve("scenarios/traffic-mirroring/solution");

test("the finish line: every task passes, the timer stops, points, time and Checks show, the explanations open, the next scenario is offered", async ({
  page,
}) => {
  await openFreshScenario(page, "traffic-mirroring");
  await expect(page.locator("[data-finish]")).toHaveCount(0);
  await typeInTerminal(page, `kubectl apply -f ${SOLUTION}`);
  await expect(terminalOf(page)).toContainText("virtualservice.networking.istio.io/helloworld", { timeout: 60_000 });

  for (const task of ["subsets", "mirror"]) {
    const panel = page.locator(`[data-task-check="${task}"]`);
    await panel.getByRole("button", { name: "Check" }).click();
    await expect(panel).toHaveAttribute("data-state", "passed");
  }
  const finish = page.locator("[data-finish]");
  await expect(finish).toBeVisible();
  await expect(finish.locator("[data-finish-points]")).toHaveText("6/6");
  await expect(finish.locator("[data-finish-checks]")).toHaveText("2");
  await expect(page.locator("[data-elapsed]")).toHaveAttribute("data-stopped", "true");
  const stopped = await page.locator("[data-elapsed]").textContent();
  await page.waitForTimeout(2_100);
  await expect(page.locator("[data-elapsed]")).toHaveText(stopped ?? "");
  // the explanations open by themselves
  await expect(page.locator("[data-solution]")).toHaveCount(2);
  await expect(finish.locator("[data-next]").first()).toBeVisible();
  await finish.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/finish.png" });

  // the catalog sums it up, per domain and overall
  await page.goto("/");
  await expect(page.locator('[data-totals="traffic"]')).toHaveText(/^1 of \d+ scenarios passed · 6\/\d+ pts$/);
  await expect(page.locator('[data-totals="overall"]')).toContainText(/Overall: \d+ of \d+ scenarios passed/);
  await page.screenshot({ path: "test-results/catalog-totals.png" });
});

test("the page itself never scrolls: each pane scrolls on its own", async ({ page }) => {
  await openFreshScenario(page, "analyze-short-host");
  const panel = page.locator('[data-task-check="fix-hosts"]');
  await panel.getByRole("button", { name: "Check" }).click();
  await expect(panel).toHaveAttribute("data-state", "failed");
  const instructions = page.locator("[data-split] > div").first();
  await instructions.hover();
  await page.mouse.wheel(0, 5000);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(0);
  const viewport = page.viewportSize()?.height ?? 0;
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(viewport);
});

test("the keyboard moves between the terminal and the tasks, and checks a task", async ({ page }) => {
  await openFreshScenario(page, "analyze-short-host");
  await terminalOf(page).click();
  await page.keyboard.press("Alt+Shift+I");
  await expect(page.locator('[data-task-check="fix-hosts"] button').first()).toBeFocused();
  await page.keyboard.press("Alt+Shift+T");
  await expect(page.locator("[data-terminal-state] textarea")).toBeFocused();
  // from the terminal too, the shortcut checks the first task not passed yet
  await page.keyboard.press("Alt+Shift+C");
  const panel = page.locator('[data-task-check="fix-hosts"]');
  await expect(panel).toHaveAttribute("data-state", "failed");
  await expect(panel.locator("[aria-live]")).toContainText("checks passed");
  expect(await page.locator("h1").count()).toBe(1);
});

test("at 390 px the panes stack with a switch, and the terminal keeps its shell", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/scenarios/analyze-short-host");
  await expect(page.locator('[data-split="stacked"]')).toBeVisible();
  await expect(page.getByRole("tab", { name: "Instructions" })).toHaveAttribute("aria-selected", "true");
  await expect(page.locator('[data-task-check="fix-hosts"]')).toBeVisible();
  await page.screenshot({ path: "test-results/narrow-instructions.png" });
  await page.getByRole("tab", { name: "Terminal" }).click();
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  await expect(page.locator('[data-task-check="fix-hosts"]')).toBeHidden();
  const box = await terminalOf(page).boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(300);
  await page.screenshot({ path: "test-results/narrow-terminal.png" });
});

test("at 1024 px the Run and Copy buttons do not cover the command", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/scenarios/analyze-short-host");
  const block = page
    .locator("[data-code-block]")
    .filter({ has: page.getByRole("button", { name: "Run in terminal" }) })
    .first();
  await expect(block).toBeVisible();
  const overlap = await block.evaluate((el) => {
    const buttons = el.querySelector("button")?.parentElement?.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(el.querySelector("pre") as Node);
    return [...range.getClientRects()].some(
      (r) =>
        buttons &&
        r.width > 0 &&
        r.right > buttons.left &&
        r.left < buttons.right &&
        r.bottom > buttons.top &&
        r.top < buttons.bottom,
    );
  });
  expect(overlap).toBe(false);
});

test("a reload replays the terminal without typing the replay's answers into the shell", async ({ page }) => {
  await openFreshScenario(page, "analyze-short-host");
  // a program asks the terminal who it is (as vim does) and reads the answer itself
  await typeInTerminal(page, `printf '\\033[c'; read -rs -t 2 -d c REPLY; echo "answered-$\{#REPLY}"`);
  await expect(terminalOf(page)).toContainText(/answered-[1-9]/);
  await page.reload();
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  await expect(terminalOf(page)).toContainText(/answered-[1-9]/); // the replay
  await typeInTerminal(page, "echo clean-$((40+2))");
  await expect(terminalOf(page)).toContainText("clean-42");
  await expect(terminalOf(page)).not.toContainText("command not found");
});

test("Show solution knows about a Check made on the page, and a Reset closes it", async ({ page }) => {
  await openFreshScenario(page, "analyze-short-host");
  const task = page.locator('[data-task="fix-hosts"]');
  await task.getByRole("button", { name: "Check" }).click();
  await expect(task.locator("[data-task-check]")).toHaveAttribute("data-state", "failed");
  let asked = 0;
  const onDialog = (d: { dismiss(): Promise<void> }) => {
    asked++;
    void d.dismiss();
  };
  page.on("dialog", onDialog);
  await task.getByRole("button", { name: "Show solution" }).click();
  await expect(task.locator("[data-solution]")).toBeVisible();
  expect(asked).toBe(0); // checked on this page: no "you have not checked this task yet"
  page.off("dialog", onDialog);

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Reset" }).click();
  await expect(page.locator("[data-reset-state]")).toHaveAttribute("data-reset-state", "done", { timeout: 150_000 });
  await expect(task.locator("[data-solution]")).toHaveCount(0);
  await expect(task.getByRole("button", { name: "Show solution" })).toBeVisible();
});

test("a Check while the cluster does not answer says so in words, and never lowers progress", async ({ page }) => {
  await openFreshScenario(page, "injection-namespace");
  await typeInTerminal(page, "kubectl label namespace inject-lab istio-injection=enabled");
  await expect(terminalOf(page)).toContainText("namespace/inject-lab labeled");
  const enable = page.locator('[data-task-check="enable"]');
  await enable.getByRole("button", { name: "Check" }).click();
  await expect(enable).toHaveAttribute("data-state", "passed");

  // The API server stops answering (as a stopped or crashed cluster does), then comes back.
  const apiserver = readLiteState()?.processes.find((p) => p.name === "kube-apiserver");
  if (!apiserver) throw new Error("no kube-apiserver in the lite state");
  process.kill(apiserver.pid, "SIGSTOP");
  try {
    await page.reload();
    const problem = page.locator("[data-cluster-problem]");
    await expect(problem).toContainText("The lite cluster does not answer");
    await expect(problem).toContainText("npm run cluster -- up --driver lite");
    await expect(problem.getByRole("button", { name: "Retry" })).toBeVisible();
    await enable.getByRole("button", { name: "Check" }).click();
    await expect(enable).toHaveAttribute("data-state", "error", { timeout: 60_000 });
    await expect(enable).toContainText(/did not answer|not running/);
    await expect(enable).not.toContainText(/ENOENT|ECONNREFUSED|kubeconfig/);
    await page.goto("/");
    // the earlier pass stands: an error is not a fail
    await expect(page.locator('[data-scenario="injection-namespace"]')).toContainText("1/2 tasks");
  } finally {
    process.kill(apiserver.pid, "SIGCONT");
  }
  await page.goto("/scenarios/injection-namespace");
  await expect(page.locator("[data-cluster-problem]")).toHaveCount(0, { timeout: 30_000 });
});

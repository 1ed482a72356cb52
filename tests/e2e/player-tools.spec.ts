import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectPrompt, openFreshScenario, terminalOf, typeInTerminal } from "./player-helpers";

// The tools around the tasks: Reset, "Run in terminal", "Show solution", and a second scenario
// solved end to end. The tests that change the cluster start from the scenario's setup
// (openFreshScenario).

test("Reset deletes what the learner created, sets the scenario up again and restarts the shell", async ({ page }) => {
  await openFreshScenario(page, "traffic-mirroring");
  const terminal = terminalOf(page);
  await typeInTerminal(page, "kubectl -n mirror-lab create configmap leftover");
  await expect(terminal).toContainText("configmap/leftover created");
  // A task checked before the Reset: its result must not outlive the Reset.
  await typeInTerminal(page, `kubectl apply -f ${path.resolve("scenarios/traffic-mirroring/solution")}`);
  await expect(terminal).toContainText("virtualservice.networking.istio.io/helloworld created");
  const subsets = page.locator('[data-task-check="subsets"]');
  await subsets.getByRole("button", { name: "Check" }).click();
  await expect(subsets).toHaveAttribute("data-state", "passed");
  const bar = page.locator("[data-cluster]");
  const barHeight = (await bar.boundingBox())?.height;

  let question = "";
  page.once("dialog", (d) => {
    question = d.message();
    void d.accept();
  });
  await page.getByRole("button", { name: "Reset" }).click();
  const reset = page.locator("[data-reset-state]");
  await expect(reset).toHaveAttribute("data-reset-state", "running");
  expect(question).toContain("Reset deletes what you created");
  // The progress lines stream in while it works.
  await expect(page.locator("[data-reset-log]")).toContainText("Emptying namespace mirror-lab");
  await page.screenshot({ path: "test-results/reset-running.png" });

  // The progress log does not push the page down while it works.
  expect((await bar.boundingBox())?.height).toBe(barHeight);

  await expect(reset).toHaveAttribute("data-reset-state", "done", { timeout: 150_000 });
  const done = page.locator("[data-reset-done]");
  await expect(done).toHaveText(/^Ready in \d+(\.\d)? s$/);
  await expect(page.locator("[data-reset-log]")).toBeHidden();
  // Nor does "Ready in N s" once it is done.
  expect((await bar.boundingBox())?.height).toBe(barHeight);
  // A reset starts over: the task is unchecked again, with no stale "Passed".
  await expect(subsets).toHaveAttribute("data-state", "new");
  await expect(subsets.locator("[data-task-state]")).toHaveCount(0);
  await expect(subsets.locator("[data-check-results]")).toHaveCount(0);
  // and the timer counts from the Reset, not from the first visit
  await expect(page.locator("[data-elapsed]")).toHaveText(/^0:0\d \/ \d+:00$/);
  await done.click();
  const log = page.locator("[data-reset-log]");
  await expect(log).toContainText("Restarted the terminal's shell");
  await expect(log).toContainText("Applying setup/namespace.yaml");
  await expect(log).toContainText("deployment.apps/helloworld-v1 created");
  await expect(log).toContainText("Waiting for Deployment mirror-lab/helloworld-v1");
  await expect(log).toContainText("Ready.");
  await page.screenshot({ path: "test-results/reset-done.png" });

  // A fresh shell: the old output is gone, and the cluster is back to the setup.
  await expectPrompt(page, "traffic-mirroring");
  await expect(terminal).not.toContainText("configmap/leftover created");
  await typeInTerminal(page, "kubectl -n mirror-lab get configmap leftover");
  await expect(terminal).toContainText('configmaps "leftover" not found');
  // The setup's objects, not their readiness: the lite node sometimes reports NotReady for a moment.
  await typeInTerminal(page, "kubectl -n mirror-lab get deployments -o jsonpath='{.items[*].metadata.name}'");
  await expect(terminal).toContainText("helloworld-v1 helloworld-v2");

  // The server agrees: the Check from before the Reset no longer counts after a reload.
  await page.reload();
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  await expect(subsets).toHaveAttribute("data-state", "new");
});

test("Run in terminal sends a code block's command to the shell, which prints its output", async ({ page }) => {
  await openFreshScenario(page, "analyze-short-host");
  const terminal = terminalOf(page);
  await expect(terminal).not.toContainText("IST0101");

  // The intro's ```bash run block, with {{ns}} filled in.
  const block = page.locator('[data-code-block="bash"]', { hasText: "istioctl analyze -n shop" });
  await expect(block).toHaveCount(1);
  await block.getByRole("button", { name: "Run in terminal" }).click();

  await expect(terminal).toContainText("istioctl analyze -n shop");
  // istioctl's own finding, naming the host that matches no service
  await expect(terminal).toContainText(/IST0101.*helloworld\.shop/);
  await page.screenshot({ path: "test-results/run-in-terminal.png" });
});

test("Show solution asks before the first Check, then shows the solution's YAML and the explanation", async ({
  page,
}) => {
  // No cluster work here: the page only has to be hydrated (the terminal connects from client code).
  await page.goto("/scenarios/analyze-short-host");
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  const task = page.locator('[data-task="fix-hosts"]');
  // As on the exam, the task links the istio.io page it is about.
  await expect(task.locator("[data-docs]")).toHaveAttribute(
    "href",
    "https://istio.io/latest/docs/reference/config/analysis/ist0101/",
  );
  // Each run has its own database: this task has not been checked.
  await expect(task.locator("[data-task-check]")).toHaveAttribute("data-state", "new");
  const show = task.getByRole("button", { name: "Show solution" });

  page.once("dialog", (d) => void d.dismiss());
  await show.click();
  await expect(show).toBeVisible();
  await expect(task).not.toContainText("kind: DestinationRule");

  page.once("dialog", (d) => void d.accept());
  await show.click();
  await expect(show).toBeHidden();
  await expect(task).toContainText("solution/routing.yaml");
  const yaml = task.locator('[data-code-block="yaml"]');
  await expect(yaml).toContainText("kind: VirtualService");
  await expect(yaml).toContainText("kind: DestinationRule");
  await expect(yaml).toContainText("host: helloworld.shop.svc.cluster.local");
  await expect(yaml).not.toContainText("```");
  // the explanation, with the scenario's variables filled in
  await expect(task).toContainText("Istio resolves a host without a dot relative to the namespace");
  await expect(task).toContainText("in namespace shop, helloworld means helloworld.shop.svc.cluster.local");
  await expect(task).not.toContainText("{{");
  await task.screenshot({ path: "test-results/solution-shown.png" });
});

test("analyze-short-host: Check names the unexpanded host, the solution applied in the terminal passes", async ({
  page,
}) => {
  await openFreshScenario(page, "analyze-short-host");
  const panel = page.locator('[data-task-check="fix-hosts"]');
  await panel.getByRole("button", { name: "Check" }).click();
  await expect(panel).toHaveAttribute("data-state", "failed");
  const hosts = panel.locator('[data-check="fix-hosts/hosts.resolve"]');
  await expect(hosts).toHaveAttribute("data-status", "fail");
  await expect(hosts).toContainText('"helloworld.shop"');
  await expect(panel.locator('[data-status="fail"]')).toHaveCount(3);

  await typeInTerminal(page, `kubectl apply -f ${path.resolve("scenarios/analyze-short-host/solution")}`);
  const terminal = terminalOf(page);
  await expect(terminal).toContainText("virtualservice.networking.istio.io/helloworld configured");
  await expect(terminal).toContainText("destinationrule.networking.istio.io/helloworld configured");

  await panel.getByRole("button", { name: "Check" }).click();
  await expect(panel).toHaveAttribute("data-state", "passed");
  await expect(panel.locator('[data-status="pass"]')).toHaveCount(3);
  await expect(panel.locator('[data-status="fail"]')).toHaveCount(0);
  await page.screenshot({ path: "test-results/analyze-short-host-passed.png" });
});

test("Copy puts a code block on the clipboard, and says so plainly when the clipboard refuses", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/scenarios/analyze-short-host");
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  const block = page.locator('[data-code-block="bash"]', { hasText: "istioctl analyze -n shop" });
  // its name follows its label: Copy, Copied, Not copied
  const copy = block.getByRole("button", { name: /^(Copy|Copied|Not copied)$/ });
  const code = ((await block.locator("pre").textContent()) ?? "").replace(/\n$/, "");
  expect(code).toContain("istioctl analyze -n shop");

  await copy.click();
  await expect(copy).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

  // No clipboard API (a page on a plain-http address that is not localhost): the copy goes
  // through the selection instead.
  await page.evaluate(async () => {
    const w = window as unknown as { realClipboard: Clipboard };
    w.realClipboard = navigator.clipboard;
    await w.realClipboard.writeText("something else");
    Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
  });
  await expect(copy).toHaveText("Copy");
  await copy.click();
  await expect(copy).toHaveText("Copied");
  expect(await page.evaluate(() => (window as unknown as { realClipboard: Clipboard }).realClipboard.readText())).toBe(
    code,
  );

  // Refused everywhere: a clear failure, and the code is selected for Ctrl+C.
  await page.evaluate(() => {
    Object.defineProperty(navigator, "clipboard", {
      value: { writeText: () => Promise.reject(new DOMException("Write permission denied.", "NotAllowedError")) },
      configurable: true,
    });
    document.execCommand = () => false;
  });
  await expect(copy).toHaveText("Copy");
  await copy.click();
  await expect(copy).toHaveText("Not copied");
  await expect(block.getByRole("status")).toContainText(/clipboard blocked.*selected.*Ctrl\+C/i);
  expect(await page.evaluate(() => window.getSelection()?.toString().replace(/\n$/, ""))).toBe(code);
  await block.screenshot({ path: "test-results/copy-refused.png" });
});

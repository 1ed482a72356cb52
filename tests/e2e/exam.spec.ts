// A mock exam in the browser, on the lite cluster: start mock-1 (its 16 tasks are set up side by
// side), solve its first task in the exam's one terminal, flag a task, reload in the middle (the
// time left is kept, so are the flags and the shell), end the exam and read the report: the
// solved task passed, the others did not. Nothing the page or its API calls received while the
// exam ran holds a check, hint, solution or explanation.
import { expect, type Page, type Response, test } from "@playwright/test";
import { examTaskAnswers } from "../../lib/exams/exam-task-content";
import { loadExam } from "../../lib/exams/load-exam";
import { loadScenario } from "../../lib/scenarios/load-scenario";
import type { Scenario } from "../../lib/scenarios/schema";
import { terminalOf, typeInTerminal } from "./player-helpers";

const EXAM = "mock-1";

function scenario(id: string): Scenario {
  const r = loadScenario(id);
  if (!r.ok) throw new Error(`${id} does not load`);
  return r.scenario;
}

/** Every text of mock-1's tasks that only the report may show. */
function examAnswers(): { task: string; text: string }[] {
  const loaded = loadExam(EXAM);
  if (!loaded.ok) throw new Error(`${EXAM} does not load`);
  return loaded.exam.tasks.flatMap((ref) => {
    const s = scenario(ref.scenario);
    const task = s.tasks.find((t) => t.id === ref.task)!;
    const a = examTaskAnswers(s, ref.task);
    const key = `${ref.scenario}/${ref.task}`;
    return [
      ...a.hints,
      ...task.checks.flatMap((c) => (c.hint ? [c.hint] : [])),
      ...(a.explanation ? [a.explanation.trim()] : []),
      ...a.solution.files.map((f) => f.content.trim()),
      ...a.alternatives.flatMap((x) => [x.why, ...x.files.map((f) => f.content.trim())]),
    ]
      .filter((text) => text.length > 0)
      .map((text) => ({ task: key, text }));
  });
}

/** Everything this origin sends the page (HTML, React payloads, API answers), as text. */
function recordPayloads(page: Page, origin: string): { texts: string[]; pending: Promise<unknown>[] } {
  const record = { texts: [] as string[], pending: [] as Promise<unknown>[] };
  page.on("response", (res: Response) => {
    const url = new URL(res.url());
    if (url.origin !== origin) return;
    if (url.pathname.startsWith("/_next/static/")) return; // the app's code, the same for everyone
    record.pending.push(
      res
        .text()
        .then((t) => record.texts.push(`${url.pathname}\n${t}`))
        .catch(() => undefined),
    );
  });
  return record;
}

const countdownOf = async (page: Page) => Number(await page.locator("[data-countdown]").getAttribute("data-countdown"));

let sittingId: string | undefined;

test.afterEach(async ({ page, baseURL }) => {
  // a failed run must not leave an exam running: practice Checks would wait for it in later tests
  if (!sittingId) return;
  await page.request.post(`/api/exams/${sittingId}/finish`, { headers: { origin: baseURL ?? "" }, data: {} });
  sittingId = undefined;
});

test("a mock exam: start, solve a task in the one terminal, reload keeps the time, end, read the report", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(600_000);
  const answers = examAnswers();
  const enable = scenario("injection-namespace").tasks.find((t) => t.id === "enable")!;

  await page.goto("/exams");
  const card = page.locator(`[data-exam="${EXAM}"]`);
  await expect(card.locator("[data-exam-facts]")).toHaveText(/^16 tasks · 120 minutes · pass mark 68% · \d+ points$/);
  await expect(card.locator('[data-share="traffic"]')).toContainText("%");

  const payloads = recordPayloads(page, new URL(baseURL ?? "").origin);
  page.once("dialog", (d) => d.accept());
  const startedAt = Date.now();
  await card.getByRole("button", { name: "Start Mock exam 1" }).click();
  await expect(card.locator("[data-start-log]")).toContainText("Setting up Mock exam 1");
  await page.waitForURL(/\/exams\/sitting\/[a-z0-9]+$/, { timeout: 300_000 });
  const openedAt = Date.now();
  sittingId = /\/exams\/sitting\/([a-z0-9]+)$/.exec(page.url())?.[1];
  console.log(`exam set up and page open in ${Math.round((openedAt - startedAt) / 1000)} s`);

  // one task at a time: its text, points and istio.io page; the countdown from the server's 120 minutes
  const task = page.locator("[data-task-position]");
  await expect(task).toHaveAttribute("data-task-position", "0");
  await expect(task.getByRole("heading")).toHaveText(`Task 1 of 16: ${enable.title}`);
  await expect(task.locator("[data-task-points]")).toHaveText(`${enable.points} pts`);
  await expect(task.locator("[data-docs]")).toHaveAttribute("href", enable.docs ?? "");
  await expect(page.locator("[data-countdown]")).toHaveAttribute("data-countdown", /^\d+$/);
  expect(await countdownOf(page)).toBeGreaterThan(119 * 60 - 30);
  expect(await countdownOf(page)).toBeLessThanOrEqual(120 * 60);
  await expect(page.getByRole("button", { name: "Reset" })).toHaveCount(0);

  // the one terminal of the exam, solving task 1 with kubectl
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  await expect(terminalOf(page)).toContainText(/exam [$#]/);
  await typeInTerminal(page, "kubectl label namespace inject-lab istio-injection=enabled");
  await expect(terminalOf(page)).toContainText("namespace/inject-lab labeled", { timeout: 60_000 });

  // another task, flagged for review
  await page.locator('[data-task-nav="2"]').click();
  await expect(task).toHaveAttribute("data-task-position", "2");
  await page.locator("[data-flag-button]").click();
  await expect(page.locator('[data-task-nav="2"]')).toHaveAttribute("data-flagged", "true");
  await page.locator('[data-task-nav="0"]').click();
  await page.screenshot({ path: "test-results/exam-page.png" });
  if (process.env.UPDATE_README_SCREENSHOT) await page.screenshot({ path: "docs/exam-page.png" });

  // a reload in the middle: the time left is the server's, so it goes on from where it was
  if (Date.now() - openedAt < 5000) await page.waitForTimeout(5000 - (Date.now() - openedAt));
  const before = await countdownOf(page);
  const reloadedAt = Date.now();
  await page.reload();
  await expect(page.locator("[data-countdown]")).toHaveAttribute("data-countdown", /^\d+$/);
  const after = await countdownOf(page);
  const elapsed = (Date.now() - reloadedAt) / 1000;
  expect(after).toBeLessThanOrEqual(before);
  expect(before - after).toBeLessThanOrEqual(Math.ceil(elapsed) + 2);
  // not started over: at least the time since the page first opened has gone
  expect(after).toBeLessThanOrEqual(120 * 60 - Math.floor((Date.now() - openedAt) / 1000) + 1);
  await expect(page.locator('[data-task-nav="2"]')).toHaveAttribute("data-flagged", "true");
  // the same shell: its earlier output is replayed
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  await expect(terminalOf(page)).toContainText("namespace/inject-lab labeled");

  // nothing the page received while the exam ran holds an answer of any task
  const html = await page.content();
  await Promise.all(payloads.pending);
  const received = [html, ...payloads.texts];
  expect(payloads.texts.some((t) => t.startsWith(`/exams/sitting/${sittingId}\n`))).toBe(true);
  expect(payloads.texts.some((t) => t.startsWith(`/api/exams/${sittingId}/flag\n`))).toBe(true);
  for (const { task: key, text } of answers) {
    for (const body of received) expect(body.includes(text), `${key}: ${text.slice(0, 60)}`).toBe(false);
  }

  // End exam, with a confirmation; the terminal closes, every check is graded once
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "End exam" }).click();
  await page.waitForURL(/\/report$/, { timeout: 120_000 });
  const reportId = sittingId;
  sittingId = undefined;

  const report = page.locator("[data-exam-report]");
  await expect(report).toHaveAttribute("data-report-status", "graded");
  await expect(page.locator("[data-passed]")).toHaveAttribute("data-passed", "false");
  const solved = page.locator('[data-report-task="0"]');
  await expect(solved).toHaveAttribute("data-task-result", "passed");
  await expect(solved.locator("[data-task-score]")).toHaveText(`${enable.points}/${enable.points} pts · passed`);
  await expect(solved.locator('[data-status="pass"]')).toHaveCount(enable.checks.length);
  // every other task: no points (what lite cannot check is skipped, never passed)
  for (let i = 1; i < 16; i++) {
    await expect(page.locator(`[data-report-task="${i}"]`)).toHaveAttribute("data-task-result", /^(failed|skipped)$/);
  }
  await expect(page.locator('[data-task-result="failed"]')).not.toHaveCount(0);
  const failedCheck = page.locator('[data-report-task="1"] [data-status="fail"]').first();
  await expect(failedCheck).toBeVisible();
  await expect(page.locator('[data-domain-score="install"]')).toContainText(`${enable.points}/`);
  // then the solutions and explanations
  await expect(page.locator('[data-solution-task="0"] [data-explanation]')).toBeVisible();
  await expect(page.locator('[data-solution-task="0"] [data-solution-file]')).not.toHaveCount(0);
  await page.screenshot({ path: "test-results/exam-report.png", fullPage: true });
  if (process.env.UPDATE_README_SCREENSHOT) await page.screenshot({ path: "docs/exam-report.png" });

  // the exam page now leads to the report, and the exams page lists it
  await page.goto(`/exams`);
  await expect(page.locator("[data-finished-exam]")).toHaveCount(1);
  await expect(page.locator("[data-running-exam]")).toHaveCount(0);

  // and on the dashboard: the exam in the history, its report one click away
  await page.goto("/dashboard");
  const row = page.locator(`[data-history="exam"][data-sitting="${reportId}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("[data-score]")).toContainText("%");
  await row.locator("[data-report-link]").click();
  await page.waitForURL(new RegExp(`/exams/sitting/${reportId}/report$`));
  await expect(page.locator("[data-exam-report]")).toHaveAttribute("data-report-status", "graded");
});

import { expect, type Page } from "@playwright/test";

/** The terminal pane (xterm's DOM renderer: the visible rows are text in the page). */
export const terminalOf = (page: Page) => page.locator(".xterm");

export async function typeInTerminal(page: Page, command: string) {
  await terminalOf(page).click();
  await page.keyboard.type(command);
  await page.keyboard.press("Enter");
}

/**
 * Opens a scenario in the state its setup leaves: a cluster without its namespaces is set up by
 * the page itself, otherwise Reset is pressed (which also restarts the shell). Returns when the
 * setup is done and the shell shows its prompt.
 */
export async function openFreshScenario(page: Page, id: string) {
  await page.goto(`/scenarios/${id}`);
  // The terminal connects from client code only: once it has, the page is hydrated and clickable.
  await expectPrompt(page, id);
  const reset = page.getByRole("button", { name: "Reset" });
  if (await reset.isVisible()) {
    page.once("dialog", (d) => d.accept());
    await reset.click();
  }
  await expect(page.locator("[data-reset-state]")).toHaveAttribute("data-reset-state", "done", { timeout: 150_000 });
  await expectPrompt(page, id);
}

/**
 * The terminal is connected and its shell has printed its prompt (`<scenario> $ `, `#` for root):
 * it has read ~/.bashrc. Like a person, a test waits for it before pressing Reset, which ends the
 * shell.
 */
export async function expectPrompt(page: Page, id: string) {
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  await expect(terminalOf(page)).toContainText(new RegExp(`${id} [$#]`));
}

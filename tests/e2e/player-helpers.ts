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
 * the page itself, otherwise Reset is pressed. Returns when the setup is done and the terminal
 * (a fresh shell: Reset restarts it) is connected.
 */
export async function openFreshScenario(page: Page, id: string) {
  await page.goto(`/scenarios/${id}`);
  // The terminal connects from client code only: once it has, the page is hydrated and clickable.
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
  const reset = page.getByRole("button", { name: "Reset" });
  if (await reset.isVisible()) {
    page.once("dialog", (d) => d.accept());
    await reset.click();
  }
  await expect(page.locator("[data-reset-state]")).toHaveAttribute("data-reset-state", "done", { timeout: 150_000 });
  await expect(page.locator("[data-terminal-state]")).toHaveAttribute("data-terminal-state", "connected");
}

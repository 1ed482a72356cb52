"use client";

import { useEffect } from "react";

/** Keys that move the focus between the instructions and the terminal (the terminal keeps Tab). */
export const FOCUS_SHORTCUTS = { instructions: "Alt+Shift+I", terminal: "Alt+Shift+T" } as const;

export function FocusShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.altKey && e.shiftKey)) return;
      if (e.code === "KeyI") {
        const panels = [...document.querySelectorAll<HTMLElement>("[data-task-check]")];
        const next = panels.find((p) => p.dataset.state !== "passed") ?? panels[0];
        next?.querySelector("button")?.focus();
      } else if (e.code === "KeyT") {
        document.querySelector<HTMLElement>("[data-terminal-state] textarea")?.focus();
      } else return;
      e.preventDefault();
      e.stopPropagation();
    };
    // capture: before the terminal, which keeps the keys it handles to itself
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, []);
  return (
    <p className="mt-8 border-t border-slate-100 pt-3 text-xs text-slate-600" data-shortcuts>
      Keyboard: <kbd>{FOCUS_SHORTCUTS.instructions}</kbd> to the tasks, <kbd>{FOCUS_SHORTCUTS.terminal}</kbd> to the
      terminal, <kbd>Alt+Shift+C</kbd> to check a task.
    </p>
  );
}

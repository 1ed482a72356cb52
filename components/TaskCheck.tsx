"use client";

import { useEffect, useRef, useState } from "react";
import type { TaskCheckView } from "@/lib/player/check-view";
import { CheckResults } from "./CheckResults";
import { useScenarioProgress } from "./ScenarioProgress";

const STATE_TEXT: Record<TaskCheckView["state"], { text: string; className: string }> = {
  passed: { text: "Passed", className: "text-emerald-700" },
  failed: { text: "Not yet", className: "text-red-700" },
  error: { text: "Could not check", className: "text-amber-800" },
};

/** Alt+Shift+C checks the task whose panel holds the focus, else the first task not passed yet. */
export const CHECK_SHORTCUT = "Alt+Shift+C";

export function TaskCheck({
  scenarioId,
  taskId,
  initial,
}: {
  scenarioId: string;
  taskId: string;
  initial: TaskCheckView | null;
}) {
  const progress = useScenarioProgress();
  const [view, setView] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);

  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/scenarios/${scenarioId}/check`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ taskId }),
      });
      // a proxy's or a crashed server's error page is not JSON: report the status, not a parse error
      const body = await res.json().catch(() => ({}));
      if (res.ok) {
        const checked = body as TaskCheckView;
        setView(checked);
        progress?.report(taskId, checked.state);
      } else setError(body.error ?? `check failed (${res.status})`);
    } catch (e) {
      setError(`the server did not answer: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  useCheckShortcut(taskId, button);

  return (
    <div className="mt-4 border-t border-slate-100 pt-3" data-task-check={taskId} data-state={view?.state ?? "new"}>
      <div className="flex items-center gap-3">
        <button
          ref={button}
          type="button"
          onClick={check}
          disabled={busy}
          aria-keyshortcuts={CHECK_SHORTCUT}
          title={`Check (${CHECK_SHORTCUT})`}
          className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-sky-800 disabled:opacity-60"
        >
          {busy ? "Checking…" : "Check"}
        </button>
        {/* announced to screen readers when a Check comes back */}
        <span aria-live="polite" className={`text-sm font-medium ${view ? STATE_TEXT[view.state].className : ""}`}>
          {view && <span data-task-state>{STATE_TEXT[view.state].text}</span>}
          {view && (
            <span className="sr-only">
              {": "}
              {view.results.filter((r) => r.status === "pass").length} of {view.results.length} checks passed
            </span>
          )}
        </span>
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {view && <CheckResults results={view.results} />}
    </div>
  );
}

/** One listener per task: the shortcut clicks this task's button when it is the one meant. */
function useCheckShortcut(taskId: string, button: React.RefObject<HTMLButtonElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.altKey && e.shiftKey && e.code === "KeyC")) return;
      const panels = [...document.querySelectorAll<HTMLElement>("[data-task-check]")];
      const focused = panels.find((p) => p.closest("[data-task]")?.contains(document.activeElement));
      const meant = focused ?? panels.find((p) => p.dataset.state !== "passed") ?? panels[0];
      if (meant?.dataset.taskCheck !== taskId) return;
      e.preventDefault();
      button.current?.click();
    };
    // capture: before the terminal, which keeps the keys it handles to itself
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [taskId, button]);
}

"use client";

import { useState } from "react";
import type { TaskCheckView } from "@/lib/player/check-view";
import { CheckResults } from "./CheckResults";

const STATE_TEXT: Record<TaskCheckView["state"], { text: string; className: string }> = {
  passed: { text: "Passed", className: "text-emerald-700" },
  failed: { text: "Not yet", className: "text-red-700" },
  error: { text: "Could not check", className: "text-amber-700" },
};

export function TaskCheck({
  scenarioId,
  taskId,
  initial,
  onChecked,
}: {
  scenarioId: string;
  taskId: string;
  initial: TaskCheckView | null;
  onChecked?: () => void;
}) {
  const [view, setView] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

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
        setView(body as TaskCheckView);
        onChecked?.();
      } else setError(body.error ?? `check failed (${res.status})`);
    } catch (e) {
      setError(`the server did not answer: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="mt-4 border-t border-slate-100 pt-3" data-task-check={taskId} data-state={view?.state ?? "new"}>
      <div className="flex items-center gap-3">
        <button
          type="button"
          onClick={check}
          disabled={busy}
          className="rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-sky-700 disabled:opacity-60"
        >
          {busy ? "Checking…" : "Check"}
        </button>
        {view && (
          <span className={`text-sm font-medium ${STATE_TEXT[view.state].className}`} data-task-state>
            {STATE_TEXT[view.state].text}
          </span>
        )}
      </div>
      {error && <p className="mt-2 text-sm text-red-700">{error}</p>}
      {view && <CheckResults results={view.results} />}
    </div>
  );
}

"use client";

import { type ReactNode, useState } from "react";
import { useScenarioProgress } from "./ScenarioProgress";

/**
 * The solution stays hidden until asked for; before the task's first Check it asks once more.
 * Once every task has passed it opens by itself. Keyed by the Reset count, so a Reset closes it.
 */
export function SolutionReveal({ taskId, children }: { taskId: string; children: ReactNode }) {
  const progress = useScenarioProgress();
  const [isOpen, setOpen] = useState(false);
  const hasTried = progress?.states[taskId] !== undefined;
  if (isOpen || progress?.finishedAt) {
    return (
      <div className="mt-3 rounded-md border border-slate-200 bg-slate-50 p-3" data-solution>
        {children}
      </div>
    );
  }
  return (
    <button
      type="button"
      className="mt-3 text-sm text-slate-700 underline decoration-dotted hover:text-slate-900"
      onClick={() => {
        if (hasTried || window.confirm("You have not checked this task yet. Show the solution anyway?")) setOpen(true);
      }}
    >
      Show solution
    </button>
  );
}

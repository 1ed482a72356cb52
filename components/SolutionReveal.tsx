"use client";

import { type ReactNode, useState } from "react";

/** The solution stays hidden until asked for; before a first Check it asks once more. */
export function SolutionReveal({ hasTried, children }: { hasTried: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  if (open) return <div className="mt-3 rounded-md border border-slate-200 bg-slate-50 p-3">{children}</div>;
  return (
    <button
      type="button"
      className="mt-3 text-sm text-slate-600 underline decoration-dotted hover:text-slate-900"
      onClick={() => {
        if (hasTried || window.confirm("You have not checked this task yet. Show the solution anyway?")) setOpen(true);
      }}
    >
      Show solution
    </button>
  );
}

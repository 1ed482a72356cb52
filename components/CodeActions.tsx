"use client";

import { useState } from "react";
import { runInTerminal } from "./terminal-bus";

export function CodeActions({ code, runnable }: { code: string; runnable: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(code).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="absolute top-1.5 right-1.5 flex gap-1 opacity-80 group-hover:opacity-100">
      {runnable && (
        <button
          type="button"
          onClick={() => runInTerminal(code)}
          aria-label="Run in terminal"
          title="Run in terminal"
          className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-sky-50"
        >
          ▶ Run
        </button>
      )}
      <button
        type="button"
        onClick={copy}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100"
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

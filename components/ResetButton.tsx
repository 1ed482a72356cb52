"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/** Reset (or first Prepare): streams the server's progress lines, then refreshes the page. */
export function ResetButton({
  scenarioId,
  label,
  confirmFirst,
  auto = false,
}: {
  scenarioId: string;
  label: string;
  /** ask before deleting the learner's work */
  confirmFirst: boolean;
  /** start at once (the cluster has not been prepared for this scenario) */
  auto?: boolean;
}) {
  const router = useRouter();
  const [lines, setLines] = useState<string[]>([]);
  const [state, setState] = useState<"idle" | "running" | "done" | "failed">("idle");
  const started = useRef(false);

  const run = async (ask: boolean) => {
    if (ask && !window.confirm("Reset deletes what you created in this scenario and sets it up again. Go on?")) return;
    setState("running");
    setLines([]);
    try {
      const res = await fetch(`/api/scenarios/${scenarioId}/reset`, { method: "POST" });
      if (!res.body) throw new Error(`reset failed (${res.status})`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        for (const part of parts.filter(Boolean)) {
          const msg = JSON.parse(part) as { progress?: string; done?: boolean; error?: string };
          if (msg.progress) setLines((l) => [...l, msg.progress as string]);
          if (msg.error) setLines((l) => [...l, `Error: ${msg.error}`]);
          if (msg.done !== undefined) setState(msg.done ? "done" : "failed");
        }
      }
      router.refresh();
    } catch (e) {
      setLines((l) => [...l, `Error: ${(e as Error).message}`]);
      setState("failed");
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once when the page asks for auto-prepare
  useEffect(() => {
    if (auto && !started.current) {
      started.current = true;
      void run(false);
    }
  }, []);

  return (
    <div data-reset-state={state}>
      <button
        type="button"
        onClick={() => run(confirmFirst)}
        disabled={state === "running"}
        className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {state === "running" ? "Working…" : label}
      </button>
      {lines.length > 0 && state !== "done" && (
        <pre className="mt-2 max-h-40 overflow-y-auto rounded bg-slate-900 p-2 text-[11px] leading-tight text-slate-100">
          {lines.join("\n")}
        </pre>
      )}
    </div>
  );
}

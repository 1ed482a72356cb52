"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";

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
  const [seconds, setSeconds] = useState<number>();
  const started = useRef(false);
  // The page re-renders after a Reset (fresh task panels); until it has, the Reset is not done,
  // or a Check pressed meanwhile would show on a panel about to be replaced.
  const [isRefreshing, startRefresh] = useTransition();
  const shown = state === "done" && isRefreshing ? "running" : state;

  const run = async (ask: boolean) => {
    if (ask && !window.confirm("Reset deletes what you created in this scenario and sets it up again. Go on?")) return;
    setState("running");
    setLines([]);
    setSeconds(undefined);
    try {
      const res = await fetch(`/api/scenarios/${scenarioId}/reset`, { method: "POST" });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { error?: string } | null;
        throw new Error(body?.error ?? `reset failed (${res.status})`);
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let outcome: "done" | "failed" | undefined;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        for (const part of parts.filter(Boolean)) {
          const msg = JSON.parse(part) as {
            progress?: string;
            done?: boolean;
            error?: string;
            result?: { seconds?: number };
          };
          if (msg.progress) setLines((l) => [...l, msg.progress as string]);
          if (msg.error) setLines((l) => [...l, `Error: ${msg.error}`]);
          if (msg.done !== undefined) {
            setSeconds(msg.result?.seconds);
            outcome = msg.done ? "done" : "failed";
          }
        }
      }
      // the server went away mid-stream: say so instead of staying "Working…"
      if (!outcome) throw new Error("the server stopped answering before the end");
      setState(outcome);
      startRefresh(() => router.refresh());
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

  // One row, whatever the state: the log floats below it, so the cluster bar keeps its height and
  // the terminal is not resized while the scenario is set up.
  return (
    <div data-reset-state={shown} className="relative flex items-center gap-3">
      {shown === "done" && (
        <details className="text-slate-600">
          <summary className="cursor-pointer" data-reset-done>
            Ready{seconds !== undefined ? ` in ${seconds} s` : ""}
          </summary>
          <ProgressLog lines={lines} />
        </details>
      )}
      {shown === "failed" && (
        <details className="text-red-700" open>
          <summary className="cursor-pointer" data-reset-failed>
            {label} failed
          </summary>
          <ProgressLog lines={lines} />
        </details>
      )}
      <button
        type="button"
        onClick={() => run(confirmFirst)}
        disabled={shown === "running"}
        className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {shown === "running" ? "Working…" : label}
      </button>
      {shown === "running" && lines.length > 0 && <ProgressLog lines={lines} />}
    </div>
  );
}

function ProgressLog({ lines }: { lines: string[] }) {
  return (
    <pre
      className="absolute top-full right-0 z-30 mt-2 max-h-40 w-[36rem] max-w-[80vw] overflow-y-auto whitespace-pre-wrap rounded bg-slate-900 p-2 text-[11px] leading-tight text-slate-100 shadow-lg"
      data-reset-log
    >
      {lines.join("\n")}
    </pre>
  );
}

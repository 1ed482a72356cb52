"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { readProgressStream } from "./read-progress-stream";

type Choice = { exam: string } | { random: true; seed?: number };

/**
 * Starts an exam: the server sets its tasks up on the cluster (progress lines shown here), then
 * the exam page opens and the countdown runs. `withSeed` adds a field for a random exam's seed.
 */
export function StartExamButton({
  choice,
  label,
  withSeed = false,
}: {
  choice: Choice;
  label: string;
  withSeed?: boolean;
}) {
  const router = useRouter();
  const [lines, setLines] = useState<string[]>([]);
  const [state, setState] = useState<"idle" | "running" | "failed">("idle");
  const [seed, setSeed] = useState("");

  const start = async () => {
    const message =
      "The exam sets its tasks up on the cluster (what other scenarios left there may be replaced), and its countdown starts once that is done. Start?";
    if (!window.confirm(message)) return;
    setState("running");
    setLines([]);
    const body = "random" in choice && seed.trim() !== "" ? { random: true, seed: Number(seed) } : choice;
    try {
      const res = await fetch("/api/exams", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const end = await readProgressStream<{ id: string }>(res, (line) => setLines((l) => [...l, line]));
      if (!end.done) {
        setLines((l) => [...l, `Error: ${end.error}`]);
        setState("failed");
        return;
      }
      router.push(`/exams/sitting/${end.result.id}`);
    } catch (e) {
      setLines((l) => [...l, `Error: ${(e as Error).message}`]);
      setState("failed");
    }
  };

  return (
    <div data-start-exam={"exam" in choice ? choice.exam : "random"} data-start-state={state}>
      <div className="flex flex-wrap items-center gap-2">
        {withSeed && (
          <label className="text-xs text-slate-600">
            Seed{" "}
            <input
              type="number"
              min={0}
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
              placeholder="random"
              className="w-28 rounded border border-slate-300 px-2 py-1 text-sm"
            />
          </label>
        )}
        <button
          type="button"
          onClick={start}
          disabled={state === "running"}
          className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60"
        >
          {state === "running" ? "Setting up…" : label}
        </button>
      </div>
      {lines.length > 0 && (
        <pre
          className={`mt-2 max-h-48 overflow-y-auto whitespace-pre-wrap rounded p-2 text-[11px] leading-tight ${
            state === "failed" ? "bg-red-50 text-red-800" : "bg-slate-900 text-slate-100"
          }`}
          data-start-log
        >
          {lines.join("\n")}
        </pre>
      )}
    </div>
  );
}

"use client";

import { useEffect, useState } from "react";
import { useScenarioProgress } from "./ScenarioProgress";

export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/** Time since the attempt started (or was last reset), against the scenario's minutes; it stops when every task passes. */
export function ElapsedTimer({ startedAt, minutes }: { startedAt: string; minutes: number }) {
  const finishedAt = useScenarioProgress()?.finishedAt ?? null;
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    if (finishedAt !== null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [finishedAt]);
  if (now === null) return null;
  const elapsed = Math.max(0, Math.floor(((finishedAt ?? now) - Date.parse(startedAt)) / 1000));
  const over = elapsed > minutes * 60;
  return (
    <span
      className={`font-mono text-xs ${over ? "text-amber-700" : "text-slate-500"}`}
      title={finishedAt === null ? "elapsed / suggested" : "finished in / suggested"}
      data-elapsed
      data-stopped={finishedAt !== null}
    >
      {formatDuration(elapsed)} / {minutes}:00
    </span>
  );
}

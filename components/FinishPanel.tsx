"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { NextScenario } from "@/lib/player/next-scenarios";
import { formatDuration } from "./ElapsedTimer";
import { useScenarioProgress } from "./ScenarioProgress";

/** The finish line: shown once every task has passed. */
export function FinishPanel({
  startedAt,
  totalPoints,
  next,
}: {
  startedAt: string;
  totalPoints: number;
  next: NextScenario[];
}) {
  const progress = useScenarioProgress();
  const panel = useRef<HTMLElement>(null);
  const finishedAt = progress?.finishedAt ?? null;
  // finishing on this page (not a page that loads finished): bring the finish line into view
  const [loadedFinished] = useState(finishedAt !== null);
  useEffect(() => {
    if (finishedAt !== null && !loadedFinished) panel.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [finishedAt, loadedFinished]);
  if (!progress?.finishedAt) return null;
  const seconds = Math.max(0, Math.round((progress.finishedAt - Date.parse(startedAt)) / 1000));
  return (
    <section
      ref={panel}
      className="mt-6 rounded-lg border border-emerald-300 bg-emerald-50 p-4"
      aria-labelledby="finish-title"
      data-finish
    >
      <h2 id="finish-title" className="font-semibold text-emerald-900">
        Scenario complete
      </h2>
      <dl className="mt-2 grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-emerald-800">Points</dt>
          <dd className="font-mono text-lg" data-finish-points>
            {totalPoints}/{totalPoints}
          </dd>
        </div>
        <div>
          <dt className="text-emerald-800">Time</dt>
          <dd className="font-mono text-lg" data-finish-time>
            {formatDuration(seconds)}
          </dd>
        </div>
        <div>
          <dt className="text-emerald-800">Checks</dt>
          <dd className="font-mono text-lg" data-finish-checks>
            {progress.checks}
          </dd>
        </div>
      </dl>
      <p className="mt-2 text-sm text-emerald-900">Each task's explanation and solution are open above.</p>
      {next.length > 0 && (
        <ul className="mt-3 space-y-1 text-sm">
          {next.map((n) => (
            <li key={n.id}>
              <Link href={`/scenarios/${n.id}`} className="font-medium text-sky-800 underline" data-next={n.id}>
                {n.title}
              </Link>{" "}
              <span className="text-slate-600">— {n.why}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

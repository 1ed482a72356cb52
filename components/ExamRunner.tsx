"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { clientDeadline, formatCountdown, isRunningOut, secondsLeft } from "@/lib/player/exam-countdown";
import type { ExamPageTask, ExamPageView } from "@/lib/player/exam-page-view";
import { DOMAINS } from "@/lib/scenarios/curriculum";
import { SplitPane } from "./SplitPane";
import { Terminal } from "./Terminal";

type RunnerExam = Omit<ExamPageView, "tasks"> & { tasks: Omit<ExamPageTask, "markdown">[] };

type Ending = { state: "idle" } | { state: "grading"; why: "asked" | "time" } | { state: "failed"; error: string };

/** The running exam in the browser: task navigation, flags, the countdown, End exam, the terminal. */
export function ExamRunner({
  exam,
  bodies,
  terminalToken,
}: {
  exam: RunnerExam;
  bodies: ReactNode[];
  terminalToken: string;
}) {
  const router = useRouter();
  const storageKey = `ica:exam:${exam.id}:task`;
  const [current, setCurrent] = useState(0);
  const [flags, setFlags] = useState(() => exam.tasks.map((t) => t.flagged));
  const [flagError, setFlagError] = useState<string>();
  const [ending, setEnding] = useState<Ending>({ state: "idle" });
  const deadline = useRef<number | null>(null);
  const [left, setLeft] = useState<number | null>(null);

  // the task shown survives a reload of this tab
  useEffect(() => {
    const saved = Number(sessionStorage.getItem(storageKey));
    if (Number.isInteger(saved) && saved > 0 && saved < exam.tasks.length) setCurrent(saved);
  }, [storageKey, exam.tasks.length]);
  const show = (position: number) => {
    setCurrent(position);
    sessionStorage.setItem(storageKey, String(position));
  };

  /** Ends the exam (or asks whether its time is up); true when the server says it still runs. */
  const end = useCallback(
    async (why: "asked" | "time"): Promise<boolean> => {
      setEnding({ state: "grading", why });
      try {
        const res = await fetch(`/api/exams/${exam.id}/finish`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ atDeadline: why === "time" }),
        });
        const body = (await res.json().catch(() => null)) as {
          status?: string;
          remainingMs?: number;
          error?: string;
        } | null;
        if (!res.ok) throw new Error(body?.error ?? `the server answered ${res.status}`);
        if (body?.status === "running" && body.remainingMs !== undefined) {
          // this browser counted faster than the server's clock: count down the rest
          deadline.current = clientDeadline(body.remainingMs, Date.now());
          setEnding({ state: "idle" });
          return true;
        }
        router.push(`/exams/sitting/${exam.id}/report`);
      } catch (e) {
        setEnding({ state: "failed", error: (e as Error).message });
      }
      return false;
    },
    [exam.id, router],
  );

  // the countdown: from the server's time left, on this browser's clock
  useEffect(() => {
    deadline.current = clientDeadline(exam.remainingMs, Date.now());
    let isAsked = false;
    const tick = () => {
      if (deadline.current === null) return;
      const s = secondsLeft(deadline.current, Date.now());
      setLeft(s);
      if (s === 0 && !isAsked) {
        isAsked = true;
        // asked again only if the server still gave time; a failure waits for "Try again"
        void end("time").then((isRunning) => {
          isAsked = !isRunning;
        });
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [exam.remainingMs, end]);

  const toggleFlag = async (position: number) => {
    const flagged = !flags[position];
    setFlags((f) => f.map((x, i) => (i === position ? flagged : x)));
    setFlagError(undefined);
    try {
      const res = await fetch(`/api/exams/${exam.id}/flag`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ position, flagged }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: string } | null;
        throw new Error(body?.error ?? `the server answered ${res.status}`);
      }
    } catch (e) {
      setFlags((f) => f.map((x, i) => (i === position ? !flagged : x)));
      setFlagError((e as Error).message);
    }
  };

  const askToEnd = () => {
    const flagged = flags.filter(Boolean).length;
    const note = flagged > 0 ? ` ${flagged} task${flagged === 1 ? " is" : "s are"} flagged for review.` : "";
    if (window.confirm(`End the exam now and grade it?${note} The terminal closes and you cannot go back.`)) {
      void end("asked");
    }
  };

  const task = exam.tasks[current];
  const isLow = left !== null && isRunningOut(left);
  const flaggedCount = flags.filter(Boolean).length;

  const instructions = (
    <div className="flex min-h-full flex-col px-6 py-5">
      <nav aria-label="Tasks" className="flex flex-wrap gap-1.5" data-task-list>
        {exam.tasks.map((t, i) => (
          <button
            key={t.position}
            type="button"
            onClick={() => show(i)}
            aria-current={i === current ? "step" : undefined}
            aria-label={`Task ${i + 1}${flags[i] ? ", flagged for review" : ""}`}
            data-task-nav={i}
            data-flagged={flags[i]}
            className={`relative size-9 rounded-md border text-sm font-medium ${
              i === current
                ? "border-sky-600 bg-sky-600 text-white"
                : "border-slate-300 bg-white text-slate-700 hover:border-sky-400"
            }`}
          >
            {i + 1}
            {flags[i] && (
              <span
                aria-hidden
                className="absolute -top-1.5 -right-1.5 rounded-full bg-amber-400 px-1 text-[10px] leading-4 text-amber-950"
              >
                ⚑
              </span>
            )}
          </button>
        ))}
      </nav>
      <p className="mt-2 text-xs text-slate-500">
        {flaggedCount > 0 ? `${flaggedCount} flagged for review (⚑)` : "Flag a task to come back to it (⚑)"}
      </p>

      <article className="mt-4 flex-1" data-task-position={task.position} aria-labelledby="task-title">
        <div className="flex items-baseline justify-between gap-3">
          <h2 id="task-title" className="text-lg font-semibold">
            Task {current + 1} of {exam.tasks.length}: {task.title}
          </h2>
          <span className="shrink-0 text-sm text-slate-600" data-task-points>
            {task.points} pts
          </span>
        </div>
        <div className="mt-1 text-xs text-slate-500">{DOMAINS[task.domain].title}</div>
        {task.docs && (
          <a
            href={task.docs}
            target="_blank"
            rel="noreferrer"
            className="mt-1 block truncate text-xs text-sky-700 hover:underline"
            data-docs
          >
            {task.docs.replace(/^https:\/\//, "")}
          </a>
        )}
        {task.context && (
          <p
            className="mt-2 rounded border border-amber-200 bg-amber-50 px-2 py-1 text-sm text-amber-900"
            data-task-context
          >
            Do this task in context <code className="font-mono">{task.context}</code>:{" "}
            <code className="font-mono">kubectl config use-context {task.context}</code>
          </p>
        )}
        <div className="mt-3">{bodies[current]}</div>
      </article>

      <div className="mt-6 flex items-center gap-2 border-t border-slate-200 pt-4">
        <button
          type="button"
          onClick={() => show(current - 1)}
          disabled={current === 0}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-40"
        >
          ← Previous
        </button>
        <button
          type="button"
          onClick={() => toggleFlag(current)}
          aria-pressed={flags[current]}
          data-flag-button
          className={`rounded-md border px-3 py-1.5 text-sm ${
            flags[current]
              ? "border-amber-400 bg-amber-100 text-amber-900"
              : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
          }`}
        >
          {flags[current] ? "⚑ Flagged for review" : "Flag for review"}
        </button>
        <button
          type="button"
          onClick={() => show(current + 1)}
          disabled={current === exam.tasks.length - 1}
          className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-40"
        >
          Next →
        </button>
      </div>
      {flagError && <p className="mt-2 text-xs text-red-700">Could not change the flag: {flagError}</p>}
    </div>
  );

  return (
    <main className="flex h-[calc(100dvh-45px)] flex-col overflow-hidden" data-exam-sitting={exam.id}>
      <div className="flex items-center gap-4 border-b border-slate-200 bg-white px-4 py-2 text-sm">
        <h1 className="font-semibold">{exam.title}</h1>
        <span className="text-xs text-slate-500">
          {exam.tasks.length} tasks · {exam.totalPoints} pts · pass mark {exam.passPercent}%
        </span>
        <span
          className={`ml-auto font-mono text-base tabular-nums ${isLow ? "font-semibold text-red-700" : "text-slate-800"}`}
          role="timer"
          aria-label="Time left"
          data-countdown={left ?? ""}
          title={`The exam ends at ${new Date(exam.endsAt).toLocaleTimeString()}`}
        >
          {left === null ? "–:––" : formatCountdown(left)}
        </span>
        <button
          type="button"
          onClick={askToEnd}
          disabled={ending.state === "grading"}
          className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60"
        >
          End exam
        </button>
      </div>
      {ending.state !== "idle" && (
        <div
          className={`border-b px-4 py-2 text-sm ${
            ending.state === "failed"
              ? "border-red-200 bg-red-50 text-red-800"
              : "border-sky-200 bg-sky-50 text-sky-900"
          }`}
          data-exam-ending={ending.state}
        >
          {ending.state === "grading" &&
            (ending.why === "time" ? "Time is up. Grading every task…" : "Grading every task…")}
          {ending.state === "failed" && (
            <>
              Could not end the exam: {ending.error}{" "}
              <button type="button" onClick={() => end("asked")} className="underline">
                Try again
              </button>
            </>
          )}
        </div>
      )}
      <SplitPane left={instructions} right={<Terminal examId={exam.id} token={terminalToken} />} />
    </main>
  );
}

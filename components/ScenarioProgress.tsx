"use client";

import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import type { TaskState } from "@/lib/progress/task-state";

interface ScenarioProgress {
  /** each task's latest state since the last Reset */
  states: Readonly<Record<string, TaskState | undefined>>;
  /** Check presses since the last Reset */
  checks: number;
  /** when every task passed (ms since the epoch), or null while some has not */
  finishedAt: number | null;
  report(taskId: string, state: TaskState): void;
}

const Context = createContext<ScenarioProgress | null>(null);

/**
 * What the tasks of one scenario page share: which were checked and how, and whether all have
 * passed (the timer stops, the finish view shows, the solutions open). Keyed by the Reset count
 * where it is used, so a Reset starts it over.
 */
export function ScenarioProgressProvider({
  taskIds,
  initial,
  initialChecks,
  children,
}: {
  taskIds: readonly string[];
  initial: Record<string, TaskState | undefined>;
  initialChecks: number;
  children: ReactNode;
}) {
  const isDone = useCallback(
    (states: Record<string, TaskState | undefined>) => taskIds.every((id) => states[id] === "passed"),
    [taskIds],
  );
  const [states, setStates] = useState(initial);
  const [checks, setChecks] = useState(initialChecks);
  const [finishedAt, setFinishedAt] = useState<number | null>(() => (isDone(initial) ? Date.now() : null));

  const report = useCallback(
    (taskId: string, state: TaskState) => {
      setChecks((n) => n + 1);
      setStates((before) => {
        // an error says nothing about the answer: it never lowers what the task had reached
        const after = { ...before, [taskId]: state === "error" ? (before[taskId] ?? state) : state };
        if (isDone(after)) setFinishedAt((at) => at ?? Date.now());
        else setFinishedAt(null);
        return after;
      });
    },
    [isDone],
  );
  const value = useMemo(() => ({ states, checks, finishedAt, report }), [states, checks, finishedAt, report]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The page's shared progress; null outside a provider (a component used on its own). */
export function useScenarioProgress(): ScenarioProgress | null {
  return useContext(Context);
}

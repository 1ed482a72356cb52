"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

/** A not-graded exam (a check could not run) is graded again on the cluster as it is now. */
export function GradeAgainButton({ sittingId }: { sittingId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const [isRefreshing, startRefresh] = useTransition();
  const grade = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch(`/api/exams/${sittingId}/finish`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: string } | null;
        throw new Error(body?.error ?? `the server answered ${res.status}`);
      }
      startRefresh(() => router.refresh());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="mt-3 flex items-center gap-3">
      <button
        type="button"
        onClick={grade}
        disabled={isBusy || isRefreshing}
        className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60"
      >
        {isBusy || isRefreshing ? "Grading…" : "Grade again"}
      </button>
      {error && <span className="text-sm text-red-700">{error}</span>}
    </div>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";

/** Asks the server again (the page's data is read anew), for a cluster that did not answer. */
export function RetryButton() {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  return (
    <button
      type="button"
      onClick={() => startTransition(() => router.refresh())}
      disabled={isPending}
      className="ml-2 rounded border border-slate-300 bg-white px-2 py-0.5 text-slate-700 hover:bg-slate-100 disabled:opacity-60"
      data-retry
    >
      {isPending ? "Asking…" : "Retry"}
    </button>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, useTransition } from "react";
import type { ClusterStatusView } from "@/lib/player/cluster-status";
import { IstioUnsupportedBadge } from "./IstioUnsupportedBadge";
import { readProgressStream } from "./read-progress-stream";

/**
 * The cluster's driver, versions and readiness (GET /api/cluster, read after the page renders so
 * a slow status never holds it up), and a button that brings the cluster up or repairs it with
 * its progress streamed. One row: the pieces and the log float below it. With the scenario's
 * `istio` range, a mark when the running Istio is outside it. `bare`: the bare cluster of an
 * install task, which its Set up starts (no button here).
 */
export function ClusterStatus({ istioRange, bare = false }: { istioRange?: string; bare?: boolean }) {
  const router = useRouter();
  const [view, setView] = useState<ClusterStatusView>();
  const [lines, setLines] = useState<string[]>([]);
  const [state, setState] = useState<"idle" | "running" | "done" | "failed">("idle");
  const [, startRefresh] = useTransition();

  const load = useCallback(async () => {
    const res = await fetch(bare ? "/api/cluster?cluster=bare" : "/api/cluster", { cache: "no-store" }).catch(
      () => undefined,
    );
    if (res?.ok) setView((await res.json()) as ClusterStatusView);
  }, [bare]);
  useEffect(() => {
    void load();
  }, [load]);

  const bringUp = async () => {
    setState("running");
    setLines([]);
    const res = await fetch("/api/cluster/up", { method: "POST" }).catch(
      (e: Error) => new Response(JSON.stringify({ error: e.message }), { status: 599 }),
    );
    const end = await readProgressStream(res, (line) => setLines((l) => [...l, line]));
    if (!end.done) setLines((l) => [...l, `Error: ${end.error}`]);
    setState(end.done ? "done" : "failed");
    await load();
    startRefresh(() => router.refresh());
  };

  if (!view) return <span className="pt-1 text-slate-400">reading the cluster's status…</span>;
  const ready = view.pieces.filter((p) => p.isReady).length;
  return (
    <div className="relative flex items-center gap-3 pt-0.5" data-cluster-status={statusWord(view)}>
      <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700">{view.driver}</span>
      {view.kubernetesVersion && <span className="text-slate-600">Kubernetes {view.kubernetesVersion}</span>}
      {view.istioVersion && (
        <span className={view.examIstioVersion ? "text-amber-700" : "text-slate-600"}>
          Istio {view.istioVersion}
          {view.examIstioVersion && ` (the exam runs ${view.examIstioVersion})`}
        </span>
      )}
      {istioRange && <IstioUnsupportedBadge range={istioRange} version={view.istioVersion} />}
      {view.pieces.length > 0 && (
        <details className="text-slate-600">
          <summary className={`cursor-pointer ${view.isReady ? "text-emerald-700" : "text-amber-700"}`}>
            {ready}/{view.pieces.length} ready
          </summary>
          <ul className="absolute top-full left-0 z-30 mt-2 w-80 rounded border border-slate-200 bg-white p-2 shadow-lg">
            {view.pieces.map((p) => (
              <li key={p.name} className={p.isReady ? "text-slate-700" : "text-amber-800"}>
                {p.isReady ? "✓" : "✗"} {p.name}: {p.detail}
              </li>
            ))}
          </ul>
        </details>
      )}
      {view.problem && state !== "running" && (
        <span className="max-w-md truncate text-amber-800" title={view.problem}>
          {view.problem}
        </span>
      )}
      {(view.action || state === "running" || state === "failed") && (
        <button
          type="button"
          onClick={bringUp}
          disabled={state === "running"}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs text-slate-700 hover:bg-slate-50 disabled:opacity-60"
          data-cluster-up={state}
        >
          {state === "running" ? "Bringing up…" : view.action === "start" ? "Start a cluster" : "Repair cluster"}
        </button>
      )}
      {state === "running" && lines.length > 0 && <UpLog lines={lines} />}
      {state === "failed" && (
        <details className="text-red-700" open>
          <summary className="cursor-pointer" data-cluster-up-failed>
            Up failed
          </summary>
          <UpLog lines={lines} />
        </details>
      )}
    </div>
  );
}

function UpLog({ lines }: { lines: string[] }) {
  return (
    <pre
      className="absolute top-full right-0 z-30 mt-2 max-h-40 w-[36rem] max-w-[80vw] overflow-y-auto whitespace-pre-wrap rounded bg-slate-900 p-2 text-[11px] leading-tight text-slate-100 shadow-lg"
      data-cluster-up-log
    >
      {lines.join("\n")}
    </pre>
  );
}

function statusWord(view: ClusterStatusView): string {
  return view.isReady === null ? "unknown" : view.isReady ? "ready" : "not-ready";
}

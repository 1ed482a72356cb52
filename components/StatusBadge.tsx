import type { ScenarioStatus } from "@/lib/progress/scenario-status";

export function StatusBadge({ status, tasks }: { status: ScenarioStatus | null; tasks: number }) {
  if (!status) return <span className="shrink-0 rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-500">new</span>;
  if (status.state === "passed") {
    return <span className="shrink-0 rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">passed</span>;
  }
  return (
    <span className="shrink-0 rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-800">
      {status.tasksPassed}/{tasks} tasks
    </span>
  );
}

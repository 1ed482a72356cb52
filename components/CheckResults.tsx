import ReactMarkdown from "react-markdown";
import { checkLabel } from "@/lib/player/check-label";
import type { CheckResultView } from "@/lib/player/check-view";

const ICON: Record<CheckResultView["status"], { mark: string; className: string; label: string }> = {
  pass: { mark: "✓", className: "text-emerald-600", label: "passed" },
  fail: { mark: "✗", className: "text-red-600", label: "failed" },
  error: { mark: "!", className: "text-amber-600", label: "could not be checked" },
  skipped: { mark: "–", className: "text-slate-400", label: "skipped" },
};

export function CheckResults({ results }: { results: CheckResultView[] }) {
  return (
    <ul className="mt-3 space-y-2 text-sm" data-check-results>
      {results.map((r) => {
        const icon = ICON[r.status];
        return (
          <li key={r.id} className="flex gap-2" data-check={r.id} data-status={r.status}>
            <span className={`w-4 shrink-0 font-bold ${icon.className}`} title={icon.label}>
              <span aria-hidden>{icon.mark}</span>
              <span className="sr-only">{icon.label}</span>
            </span>
            <div className="min-w-0">
              <div className="text-xs font-medium text-slate-600">{checkLabel(r.id)}</div>
              <div className="break-words">{r.message}</div>
              {r.hint && (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-sky-700">Hint</summary>
                  <div className="mt-1 text-slate-700 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1" data-hint>
                    {/* hints are Markdown (`code`, *emphasis*); no raw HTML */}
                    <ReactMarkdown>{r.hint}</ReactMarkdown>
                  </div>
                </details>
              )}
              {r.evidence.length > 0 && (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-slate-600">Evidence</summary>
                  <ul className="mt-1 space-y-0.5 font-mono text-xs text-slate-600">
                    {r.evidence.map((e) => (
                      <li key={`${e.kind}/${e.namespace}/${e.name}/${e.field}`}>
                        {e.kind} {e.namespace ? `${e.namespace}/` : ""}
                        {e.name}
                        {e.field ? ` ${e.field}` : ""}
                        {e.value !== undefined ? ` = ${JSON.stringify(e.value)}` : ""}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

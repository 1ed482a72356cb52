import Link from "next/link";
import type { ExamReport, ExamReportTask } from "@/lib/player/exam-report";
import { DOMAIN_IDS, DOMAINS } from "@/lib/scenarios/curriculum";
import { CheckResults } from "./CheckResults";
import { CodeBlock } from "./CodeBlock";
import { GradeAgainButton } from "./GradeAgainButton";
import { Markdown } from "./Markdown";

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const pts = (n: number | null) => (n === null ? "–" : Number.isInteger(n) ? String(n) : n.toFixed(1));

type TaskResult = "passed" | "partial" | "failed" | "skipped" | "not graded";

function taskResult(t: ExamReportTask): TaskResult {
  if (t.earned === null || t.possible === null) return "not graded";
  if (t.possible === 0) return "skipped";
  if (t.earned >= t.possible) return "passed";
  return t.earned > 0 ? "partial" : "failed";
}

const RESULT_CLASS: Record<TaskResult, string> = {
  passed: "text-emerald-700",
  partial: "text-amber-700",
  failed: "text-red-700",
  skipped: "text-slate-500",
  "not graded": "text-slate-500",
};

const titleOf = (t: ExamReportTask) => t.text?.title ?? `${t.scenario} / ${t.task}`;

/**
 * A finished exam's report: the score and pass or fail, per domain and per task, each check's
 * result and reason, then the solutions and explanations (those only once the exam is graded).
 */
export function ExamReportPage({ report }: { report: ExamReport }) {
  const { session } = report;
  const isGraded = report.status === "graded";
  return (
    <main className="mx-auto max-w-5xl px-6 py-8" data-exam-report={session.id} data-report-status={report.status}>
      <nav className="text-xs text-slate-500">
        <Link href="/exams" className="hover:underline">
          Exams
        </Link>{" "}
        / Report
      </nav>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">{session.title}: report</h1>
      <p className="mt-1 text-sm text-slate-600">
        Started {WHEN.format(session.startedAt)}
        {session.finishedAt && <> · ended {WHEN.format(session.finishedAt)}</>}
        {session.timedOut && <> · time ran out</>} · graded on cluster{" "}
        <span className="font-mono">{report.cluster}</span>
      </p>

      {isGraded ? (
        <section
          className={`mt-5 rounded-lg border p-4 ${report.passed ? "border-emerald-300 bg-emerald-50" : "border-red-300 bg-red-50"}`}
          data-score={Math.round(report.percent ?? 0)}
          data-passed={report.passed}
        >
          <p className="text-3xl font-semibold">
            {Math.round(report.percent ?? 0)}%{" "}
            <span className={report.passed ? "text-emerald-800" : "text-red-800"}>
              {report.passed ? "Passed" : "Not passed"}
            </span>
          </p>
          <p className="mt-1 text-sm text-slate-700">
            {pts(report.earned)} of {pts(report.possible)} points · pass mark {report.passPercent}%
          </p>
        </section>
      ) : (
        <section className="mt-5 rounded-lg border border-amber-300 bg-amber-50 p-4" data-not-graded>
          <p className="text-xl font-semibold text-amber-900">Not graded</p>
          <p className="mt-1 text-sm text-amber-900">
            Some checks could not run, so this exam has no score (it is not counted as failed): {report.reason}
          </p>
          {report.errored.length > 0 && (
            <ul className="mt-2 list-disc space-y-0.5 pl-5 text-xs text-amber-900">
              {report.errored.slice(0, 8).map((e) => (
                <li key={`${e.scenario}/${e.task}/${e.check}`}>
                  <span className="font-mono">{e.check}</span>: {e.message}
                </li>
              ))}
              {report.errored.length > 8 && <li>and {report.errored.length - 8} more</li>}
            </ul>
          )}
          <p className="mt-2 text-sm text-amber-900">
            Fix what stopped the checks (is the cluster running?), then grade the cluster as you left it again.
          </p>
          <GradeAgainButton sittingId={session.id} />
        </section>
      )}

      {report.domains && (
        <section className="mt-8" aria-labelledby="per-domain">
          <h2 id="per-domain" className="text-lg font-semibold">
            Per domain
          </h2>
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th className="py-1 font-medium">Domain</th>
                <th className="py-1 text-right font-medium">Points</th>
                <th className="py-1 text-right font-medium">Score</th>
              </tr>
            </thead>
            <tbody>
              {DOMAIN_IDS.filter((d) => (report.domains?.[d].possible ?? 0) > 0).map((d) => {
                const tally = report.domains![d];
                return (
                  <tr key={d} className="border-t border-slate-200" data-domain-score={d}>
                    <td className="py-1">{DOMAINS[d].title}</td>
                    <td className="py-1 text-right font-mono">
                      {pts(tally.earned)}/{pts(tally.possible)}
                    </td>
                    <td className="py-1 text-right font-mono">
                      {tally.percent === null ? "–" : `${Math.round(tally.percent)}%`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}

      <section className="mt-8" aria-labelledby="per-task">
        <h2 id="per-task" className="text-lg font-semibold">
          Per task
        </h2>
        <ol className="mt-3 space-y-3">
          {report.tasks.map((t) => {
            const result = taskResult(t);
            return (
              <li
                key={t.position}
                className="rounded-lg border border-slate-200 bg-white p-4"
                data-report-task={t.position}
                data-task-result={result}
              >
                <div className="flex items-baseline justify-between gap-3">
                  <h3 className="font-medium">
                    {t.position + 1}. {titleOf(t)}
                    {t.flagged && (
                      <span className="ml-2 text-xs text-amber-700" title="flagged for review">
                        ⚑
                      </span>
                    )}
                  </h3>
                  <span className={`shrink-0 text-sm font-medium ${RESULT_CLASS[result]}`} data-task-score>
                    {result === "not graded" ? "not graded" : `${pts(t.earned)}/${pts(t.possible)} pts · ${result}`}
                  </span>
                </div>
                <div className="text-xs text-slate-500">
                  {DOMAINS[t.domain].title} · {t.text?.scenarioTitle ?? t.scenario}
                  {t.text?.docs && (
                    <>
                      {" · "}
                      <a href={t.text.docs} target="_blank" rel="noreferrer" className="text-sky-700 hover:underline">
                        {t.text.docs.replace(/^https:\/\//, "")}
                      </a>
                    </>
                  )}
                </div>
                <CheckResults
                  results={t.checks.map((c) => ({
                    id: `${t.task}/${c.check}`,
                    status: c.status,
                    message: c.message,
                    ...(c.hint === undefined ? {} : { hint: c.hint }),
                    evidence: c.evidence,
                  }))}
                />
              </li>
            );
          })}
        </ol>
      </section>

      {isGraded && (
        <section className="mt-10" aria-labelledby="solutions">
          <h2 id="solutions" className="text-lg font-semibold">
            Solutions and explanations
          </h2>
          <ol className="mt-3 space-y-4">
            {report.tasks.map((t) => (
              <li
                key={t.position}
                className="rounded-lg border border-slate-200 bg-white p-4"
                data-solution-task={t.position}
              >
                <h3 className="font-medium">
                  {t.position + 1}. {titleOf(t)}
                </h3>
                {t.text && (
                  <details className="mt-2 text-sm">
                    <summary className="cursor-pointer text-slate-600">The task as the exam showed it</summary>
                    <div className="mt-2">
                      <Markdown source={t.text.markdown} />
                    </div>
                  </details>
                )}
                {t.answers === null ? (
                  <p className="mt-2 text-sm text-slate-500">Its scenario no longer has this task.</p>
                ) : (
                  <>
                    {t.answers.explanation && (
                      <div className="mt-3" data-explanation>
                        <Markdown source={t.answers.explanation} />
                      </div>
                    )}
                    {t.answers.solution.files.map((f) => (
                      <div key={f.path} className="mt-3" data-solution-file={f.path}>
                        <div className="font-mono text-xs text-slate-500">{f.path}</div>
                        <CodeBlock code={f.content.replace(/\n$/, "")} lang="yaml" runnable={false} />
                      </div>
                    ))}
                    {t.answers.alternatives.map((a) => (
                      <details key={a.why} className="mt-3 text-sm">
                        <summary className="cursor-pointer text-sky-700">Also correct: {a.why}</summary>
                        {a.files.map((f) => (
                          <div key={f.path} className="mt-2">
                            <div className="font-mono text-xs text-slate-500">{f.path}</div>
                            <CodeBlock code={f.content.replace(/\n$/, "")} lang="yaml" runnable={false} />
                          </div>
                        ))}
                      </details>
                    ))}
                    {t.answers.hints.length > 0 && (
                      <details className="mt-3 text-sm">
                        <summary className="cursor-pointer text-sky-700">Hints ({t.answers.hints.length})</summary>
                        <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
                          {t.answers.hints.map((h) => (
                            <li key={h}>
                              <Markdown source={h} />
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
    </main>
  );
}

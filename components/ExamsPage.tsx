import Link from "next/link";
import { formatCountdown } from "@/lib/player/exam-countdown";
import type { ExamsView } from "@/lib/player/exams-view";
import { DOMAIN_IDS, DOMAINS } from "@/lib/scenarios/curriculum";
import { StartExamButton } from "./StartExamButton";

const WHEN = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const LINK = "text-sky-700 underline decoration-sky-300 underline-offset-2 hover:decoration-sky-700";

export function ExamsPage({ view }: { view: ExamsView }) {
  return (
    <main className="mx-auto max-w-6xl px-6 py-8">
      <h1 className="text-2xl font-semibold tracking-tight">Mock exams</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        As the ICA runs: performance tasks on one cluster, one terminal, a countdown kept on the server, no checks,
        hints or solutions until the end. Each task names the istio.io page it is about. Ending the exam (or the time
        running out) grades every check of every task once, with partial credit per task.
      </p>
      {view.gradingError && (
        <p className="mt-4 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-grading-error>
          An exam's time ran out, but it could not be graded: {view.gradingError}
        </p>
      )}
      {view.running && (
        <section
          className="mt-6 rounded-lg border border-sky-300 bg-sky-50 p-4"
          aria-labelledby="running-exam"
          data-running-exam={view.running.id}
        >
          <h2 id="running-exam" className="font-semibold">
            {view.running.title} is running
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            {view.running.tasks} tasks · {formatCountdown(view.running.remainingMs / 1000)} left. Practice Checks and
            Resets wait until it ends.
          </p>
          <Link
            href={`/exams/sitting/${view.running.id}`}
            className="mt-3 inline-block rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800"
          >
            Resume the exam
          </Link>
        </section>
      )}

      <section className="mt-8" aria-labelledby="fixed-exams">
        <h2 id="fixed-exams" className="text-lg font-semibold">
          Fixed exams
        </h2>
        <ul className="mt-3 grid gap-4 md:grid-cols-2">
          {view.exams.map((e) => (
            <li key={e.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-exam={e.id}>
              <h3 className="font-medium">{e.title}</h3>
              <p className="mt-1 text-sm text-slate-600" data-exam-facts>
                {e.tasks} tasks · {e.minutes} minutes · pass mark {e.passPercent}% · {e.points} points
              </p>
              <table className="mt-3 w-full text-left text-xs">
                <caption className="sr-only">{e.title}: share of the points per domain</caption>
                <thead className="text-slate-500">
                  <tr>
                    <th className="py-0.5 font-medium">Domain</th>
                    <th className="py-0.5 text-right font-medium">This exam</th>
                    <th className="py-0.5 text-right font-medium">ICA weight</th>
                  </tr>
                </thead>
                <tbody>
                  {DOMAIN_IDS.map((d) => (
                    <tr key={d} className="border-t border-slate-100" data-share={d}>
                      <td className="py-0.5">{DOMAINS[d].title}</td>
                      <td className="py-0.5 text-right font-mono">{e.shares[d].toFixed(1)}%</td>
                      <td className="py-0.5 text-right font-mono text-slate-500">{DOMAINS[d].weight}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!view.running && (
                <div className="mt-4">
                  <StartExamButton choice={{ exam: e.id }} label={`Start ${e.title}`} />
                </div>
              )}
            </li>
          ))}
        </ul>
        {view.broken.length > 0 && (
          <ul className="mt-4 space-y-2">
            {view.broken.map((b) => (
              <li
                key={b.id}
                className="rounded border border-red-200 bg-red-50 p-3 text-xs text-red-800"
                data-broken-exam={b.id}
              >
                <span className="font-mono font-semibold">{b.id}</span>: {b.message}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="mt-8" aria-labelledby="random-exam">
        <h2 id="random-exam" className="text-lg font-semibold">
          Random exam
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          16 or 17 tasks drawn from the catalog by domain weight, 120 minutes, pass mark 68%. The same seed draws the
          same exam again.
        </p>
        {!view.running && (
          <div className="mt-3">
            <StartExamButton choice={{ random: true }} label="Start a random exam" withSeed />
          </div>
        )}
      </section>

      {view.finished.length > 0 && (
        <section className="mt-8" aria-labelledby="finished-exams">
          <h2 id="finished-exams" className="text-lg font-semibold">
            Finished exams
          </h2>
          <table className="mt-3 w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th className="py-1 font-medium">Exam</th>
                <th className="py-1 font-medium">Started</th>
                <th className="py-1 font-medium">Score</th>
                <th className="py-1 font-medium">Result</th>
              </tr>
            </thead>
            <tbody>
              {view.finished.map((f) => (
                <tr key={f.id} className="border-t border-slate-200" data-finished-exam={f.id}>
                  <td className="py-1">
                    <Link href={`/exams/sitting/${f.id}/report`} className={LINK}>
                      {f.title}
                    </Link>
                  </td>
                  <td className="py-1 text-slate-600">{WHEN.format(f.startedAt)}</td>
                  <td className="py-1 font-mono">{f.percent === null ? "–" : `${Math.round(f.percent)}%`}</td>
                  <td className="py-1">
                    {f.status === "not-graded" ? "not graded" : f.passed ? "passed" : "failed"}
                    {f.timedOut ? " (time ran out)" : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}

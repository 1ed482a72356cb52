import Link from "next/link";
import type { DashboardView } from "@/lib/player/dashboard-view";
import type { CompetencyStanding } from "@/lib/player/readiness";
import type { HistoryEntry } from "@/lib/player/score-history";
import { DOMAINS } from "@/lib/scenarios/curriculum";
import { ReadinessChart } from "./ReadinessChart";
import { ScoreHistoryChart } from "./ScoreHistoryChart";

const WHEN = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

const LINK = "text-sky-700 underline decoration-sky-300 underline-offset-2 hover:decoration-sky-700";

const pct = (n: number | null) => (n === null ? "–" : `${Math.round(n)}%`);
const pts = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The exam report of a finished sitting. */
export const examReportHref = (sittingId: string) => `/exams/sitting/${sittingId}/report`;

export function DashboardPage({ view }: { view: DashboardView }) {
  const { readiness, passPercent } = view;
  const plotted = view.history.flatMap((h) =>
    h.percent === null ? [] : [{ kind: h.kind, at: h.at.getTime(), percent: h.percent, when: WHEN.format(h.at) }],
  );
  return (
    <main className="mx-auto max-w-6xl px-6 py-8">
      <h1 className="text-2xl font-semibold tracking-tight">Readiness</h1>
      <p className="mt-1 text-sm text-slate-600">
        Your latest result on each task, practice Check or mock exam, weighted like the ICA exam.
      </p>
      <p
        className="mt-4 text-lg"
        data-overall-readiness={readiness.overall === null ? "" : Math.round(readiness.overall)}
      >
        Overall: <strong>{pct(readiness.overall)} ready</strong>{" "}
        <span className="text-sm text-slate-600">
          ({readiness.overall !== null && readiness.overall >= passPercent ? "at or above" : "below"} the {passPercent}%
          pass mark · {view.tried} of {view.tasks} tasks tried
          {readiness.uncovered.length > 0 &&
            ` · no scenarios yet in ${readiness.uncovered.map((d) => DOMAINS[d].title).join(", ")}`}
          )
        </span>
      </p>
      {view.tried === 0 && view.history.length === 0 && (
        <p className="mt-3 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700" data-dashboard-empty>
          Nothing checked yet. Open a scenario from the{" "}
          <Link href="/" className={LINK}>
            catalog
          </Link>{" "}
          and press Check, or sit a mock exam: your readiness shows here.
        </p>
      )}

      <section className="mt-8" aria-labelledby="readiness-domains">
        <h2 id="readiness-domains" className="text-lg font-semibold">
          Readiness per domain
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          A domain's readiness is the points earned over all its tasks in the catalog (a task not tried counts 0);
          overall, each domain counts with its exam weight.
        </p>
        <figure className="mt-3 rounded-lg border border-slate-200 bg-white p-4" data-chart="readiness">
          <div aria-hidden="true" data-plot>
            <ReadinessChart
              bars={readiness.domains.map((d) => ({ domain: d.domain, title: d.title, percent: d.percent }))}
              passPercent={passPercent}
            />
          </div>
          <table className="mt-4 w-full text-left text-sm">
            <caption className="sr-only">Readiness per ICA domain</caption>
            <thead className="text-slate-600">
              <tr>
                <th className="py-1 font-medium">Domain</th>
                <th className="py-1 font-medium">Exam weight</th>
                <th className="py-1 font-medium">Tasks tried</th>
                <th className="py-1 font-medium">Score on tasks tried</th>
                <th className="py-1 font-medium">Ready</th>
              </tr>
            </thead>
            <tbody>
              {readiness.domains.map((d) => (
                <tr key={d.domain} className="border-t border-slate-100" data-readiness={d.domain}>
                  <th scope="row" className="py-1 font-normal">
                    {d.title}
                  </th>
                  <td className="py-1">{d.weight}%</td>
                  <td className="py-1" data-tried>
                    {d.tried} of {d.tasks}
                  </td>
                  <td className="py-1">{pct(d.triedPercent)}</td>
                  <td className="py-1 font-medium" data-ready>
                    {d.percent === null ? "no scenarios yet" : pct(d.percent)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      </section>

      <section className="mt-8" aria-labelledby="score-history">
        <h2 id="score-history" className="text-lg font-semibold">
          Scores over time
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Each practice attempt scores its scenario's points with each task's latest Check; each mock exam its grade.
        </p>
        {view.history.length === 0 ? (
          <p className="mt-3 text-sm text-slate-500">No attempts or exams yet.</p>
        ) : (
          <figure className="mt-3 rounded-lg border border-slate-200 bg-white p-4" data-chart="history">
            {plotted.length > 0 && (
              <div aria-hidden="true" data-plot>
                <ScoreHistoryChart points={plotted} passPercent={passPercent} />
              </div>
            )}
            <table className="mt-4 w-full text-left text-sm">
              <caption className="sr-only">Practice attempts and mock exams, newest first</caption>
              <thead className="text-slate-600">
                <tr>
                  <th className="py-1 font-medium">When</th>
                  <th className="py-1 font-medium">What</th>
                  <th className="py-1 font-medium">Score</th>
                  <th className="py-1 font-medium">Result</th>
                </tr>
              </thead>
              <tbody>
                {[...view.history].reverse().map((h) => (
                  <HistoryRow key={`${h.kind}-${h.id}`} entry={h} />
                ))}
              </tbody>
            </table>
          </figure>
        )}
      </section>

      <section className="mt-8" aria-labelledby="weakest">
        <h2 id="weakest" className="text-lg font-semibold">
          Weakest competencies
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          The curriculum's competencies you have tried and not mastered, lowest score first, with their scenarios.
        </p>
        {view.weakest.length === 0 ? (
          <p className="mt-3 text-sm text-slate-500">
            {view.tried === 0 ? "Nothing tried yet." : "Every competency you tried is mastered."}
          </p>
        ) : (
          <ol className="mt-3 space-y-3">
            {view.weakest.map((c) => (
              <CompetencyItem key={`${c.domain}/${c.competency}`} standing={c} />
            ))}
          </ol>
        )}
        {view.untried.length > 0 && (
          <details className="mt-6" data-untried>
            <summary className="cursor-pointer font-medium">
              Not practised yet: {view.untried.length} competencies
            </summary>
            <ul className="mt-2 space-y-2">
              {view.untried.map((c) => (
                <CompetencyItem key={`${c.domain}/${c.competency}`} standing={c} />
              ))}
            </ul>
          </details>
        )}
      </section>
    </main>
  );
}

function HistoryRow({ entry: h }: { entry: HistoryEntry }) {
  const when = <time dateTime={h.at.toISOString()}>{WHEN.format(h.at)}</time>;
  if (h.kind === "practice") {
    return (
      <tr className="border-t border-slate-100" data-history="practice" data-scenario={h.scenario}>
        <td className="py-1 whitespace-nowrap">{when}</td>
        <td className="py-1">
          Practice:{" "}
          <Link href={`/scenarios/${h.scenario}`} className={LINK}>
            {h.title}
          </Link>
        </td>
        <td className="py-1" data-score>
          {pct(h.percent)} ({pts(h.earned)}/{h.possible} pts)
        </td>
        <td className="py-1 text-slate-600">
          {h.tried} of {h.tasks} tasks checked
        </td>
      </tr>
    );
  }
  const result = h.status === "not-graded" ? "not graded" : h.passed ? "passed" : "failed";
  return (
    <tr className="border-t border-slate-100" data-history="exam" data-sitting={h.id}>
      <td className="py-1 whitespace-nowrap">{when}</td>
      <td className="py-1">Mock exam: {h.title}</td>
      <td className="py-1" data-score>
        {h.percent === null ? "–" : `${pct(h.percent)} (${pts(h.earned ?? 0)}/${pts(h.possible ?? 0)} pts)`}
      </td>
      <td className="py-1">
        {result} ·{" "}
        <Link href={examReportHref(h.id)} className={LINK} data-report-link>
          report
        </Link>
      </td>
    </tr>
  );
}

function CompetencyItem({ standing: c }: { standing: CompetencyStanding }) {
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-3" data-competency={c.competency}>
      <div className="flex flex-wrap items-baseline gap-x-3">
        <span className="font-medium">{c.competency}</span>
        <span className="text-xs text-slate-500">{DOMAINS[c.domain].title}</span>
        <span className="ml-auto text-sm" data-competency-score>
          {c.percent === null
            ? `${c.tasks} tasks, none tried`
            : `${pct(c.percent)} on ${c.tried} of ${c.tasks} tasks tried`}
        </span>
      </div>
      <ul className="mt-2 flex flex-wrap gap-2 text-sm">
        {c.scenarios.map((s) => (
          <li key={s.id}>
            <Link
              href={`/scenarios/${s.id}`}
              className="inline-block rounded border border-slate-200 px-2 py-0.5 hover:border-sky-400"
              data-scenario-link={s.id}
            >
              {s.title}{" "}
              <span className="text-slate-500">({s.percent === null ? "not tried" : `${pct(s.percent)}`})</span>
            </Link>
          </li>
        ))}
      </ul>
    </li>
  );
}

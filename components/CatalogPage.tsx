import Link from "next/link";
import { domainTotals, overallTotals, type Totals } from "@/lib/player/catalog-totals";
import type { CatalogCard, CatalogView } from "@/lib/player/catalog-view";
import { Difficulty } from "./Difficulty";
import { RunningIstioBadge, RunningIstioProvider, RunningIstioVersion } from "./RunningIstio";
import { StatusBadge } from "./StatusBadge";

export function CatalogPage({ catalog }: { catalog: CatalogView }) {
  return (
    <main className="mx-auto max-w-6xl px-6 py-8">
      <RunningIstioProvider>
        <h1 className="text-2xl font-semibold tracking-tight">Scenarios</h1>
        <p className="mt-1 text-sm text-slate-600">
          Hands-on tasks for the Istio Certified Associate exam, grouped by exam domain.
        </p>
        <p className="mt-1 text-sm text-slate-600" data-exam-istio={catalog.examIstioVersion}>
          Exam Istio version <span className="font-mono">{catalog.examIstioVersion}</span> (ICA_ISTIO_VERSION)
          <RunningIstioVersion />
        </p>
        <p className="mt-3 text-sm text-slate-700" data-totals="overall">
          Overall: <TotalsText totals={overallTotals(catalog.domains)} />
        </p>
        {catalog.domains.map((domain) => (
          <section key={domain.id} className="mt-8" aria-labelledby={`domain-${domain.id}`}>
            <h2 id={`domain-${domain.id}`} className="flex items-baseline gap-3 text-lg font-semibold">
              {domain.title}
              <span className="text-sm font-normal text-slate-600">{domain.weight}% of the exam</span>
              {domain.scenarios.length > 0 && (
                <span className="ml-auto text-sm font-normal text-slate-700" data-totals={domain.id}>
                  <TotalsText totals={domainTotals(domain)} />
                </span>
              )}
            </h2>
            {domain.scenarios.length === 0 ? (
              <p className="mt-2 text-sm text-slate-500">No scenarios yet.</p>
            ) : (
              <ul className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                {domain.scenarios.map((s) => (
                  <ScenarioCard key={s.id} card={s} />
                ))}
              </ul>
            )}
          </section>
        ))}
        {catalog.broken.length > 0 && (
          <section className="mt-10" aria-labelledby="broken">
            <h2 id="broken" className="text-lg font-semibold text-red-700">
              Scenarios that could not be loaded
            </h2>
            <ul className="mt-3 space-y-3">
              {catalog.broken.map((b) => (
                <li key={b.id} className="rounded-lg border border-red-200 bg-red-50 p-4" data-broken-scenario={b.id}>
                  <div className="font-mono text-sm font-semibold">{b.id}</div>
                  <ul className="mt-2 space-y-1 font-mono text-xs text-red-800">
                    {b.errors.map((e) => (
                      <li key={e}>{e}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </section>
        )}
      </RunningIstioProvider>
    </main>
  );
}

function TotalsText({ totals }: { totals: Totals }) {
  return (
    <>
      {totals.passed} of {totals.scenarios} scenarios passed · {totals.earned}/{totals.points} pts
    </>
  );
}

function ScenarioCard({ card }: { card: CatalogCard }) {
  return (
    <li data-scenario={card.id} data-istio-range={card.istio}>
      <Link
        href={`/scenarios/${card.id}`}
        className="flex h-full flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm transition hover:border-sky-400 hover:shadow"
      >
        <div className="flex items-start justify-between gap-2">
          <h3 className="font-medium leading-snug">{card.title}</h3>
          <StatusBadge status={card.status} tasks={card.tasks} />
        </div>
        <p className="mt-2 flex-1 text-sm text-slate-600">{card.summary}</p>
        <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
          <span>{card.competency}</span>
          <span aria-hidden>·</span>
          <Difficulty level={card.difficulty} />
          <span aria-hidden>·</span>
          <span>{card.minutes} min</span>
          <span aria-hidden>·</span>
          <span>{card.points} pts</span>
          <span className="ml-auto">
            <RunningIstioBadge range={card.istio} />
          </span>
        </div>
      </Link>
    </li>
  );
}

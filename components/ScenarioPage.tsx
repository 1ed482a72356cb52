import Link from "next/link";
import { introBody } from "@/lib/player/intro-body";
import type { ScenarioView } from "@/lib/player/scenario-view";
import { DOMAINS } from "@/lib/scenarios/curriculum";
import { ClusterBar } from "./ClusterBar";
import { CodeBlock } from "./CodeBlock";
import { Difficulty } from "./Difficulty";
import { ElapsedTimer } from "./ElapsedTimer";
import { FinishPanel } from "./FinishPanel";
import { FocusShortcuts } from "./FocusShortcuts";
import { Markdown } from "./Markdown";
import { ScenarioProgressProvider } from "./ScenarioProgress";
import { SolutionReveal } from "./SolutionReveal";
import { SplitPane } from "./SplitPane";
import { TaskCheck } from "./TaskCheck";
import { Terminal } from "./Terminal";

export function ScenarioPage({ view, terminalToken }: { view: ScenarioView; terminalToken?: string }) {
  if (!view.ok) {
    return (
      <main className="mx-auto max-w-4xl px-6 py-8">
        <h1 className="font-mono text-xl font-semibold">{view.id}</h1>
        <p className="mt-2 text-sm text-red-700">This scenario's files have errors:</p>
        <ul className="mt-2 space-y-1 font-mono text-xs text-red-800">
          {view.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </main>
    );
  }
  const s = view.scenario;
  const instructions = (
    // keyed by the reset count: after a Reset the refreshed page's (empty) progress replaces the shown one
    <ScenarioProgressProvider
      key={view.resets}
      taskIds={s.tasks.map((t) => t.id)}
      initial={view.reached}
      initialChecks={view.checkCount}
    >
      <div className="px-6 py-5">
        <nav className="text-xs text-slate-500">
          <Link href="/" className="hover:underline">
            Scenarios
          </Link>{" "}
          / {DOMAINS[s.domain].title}
        </nav>
        <h1 className="mt-1 text-xl font-semibold tracking-tight">{s.title}</h1>
        <div className="mt-1 flex flex-wrap items-center gap-3 text-xs text-slate-500">
          <span>{s.competency}</span>
          <Difficulty level={s.difficulty} />
          <span>{s.totalPoints} pts</span>
          <ElapsedTimer startedAt={view.startedAt} minutes={s.minutes} />
        </div>
        <section className="mt-4">
          <Markdown source={introBody(s.introMarkdown, s.title)} />
        </section>
        <ol className="mt-6 space-y-5">
          {s.tasks.map((t, i) => {
            const solution = view.solutions[t.id];
            return (
              <li key={t.id} className="rounded-lg border border-slate-200 bg-white p-4" data-task={t.id}>
                <div className="flex items-baseline justify-between gap-3">
                  <h2 className="font-semibold">
                    {i + 1}. {t.title}
                  </h2>
                  <span className="shrink-0 text-xs text-slate-500">{t.points} pts</span>
                </div>
                {t.docs && (
                  // as on the exam, each task opens with the documentation page it is about
                  <a
                    href={t.docs}
                    target="_blank"
                    rel="noreferrer"
                    className="mt-1 block truncate text-xs text-sky-700 hover:underline"
                    data-docs
                  >
                    {t.docs.replace(/^https:\/\//, "")}
                  </a>
                )}
                <div className="mt-2">
                  <Markdown source={t.markdown} />
                </div>
                {t.hints.length > 0 && (
                  <details className="mt-3 text-sm">
                    <summary className="cursor-pointer text-sky-700">Hints ({t.hints.length})</summary>
                    <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
                      {t.hints.map((h) => (
                        <li key={h}>
                          <Markdown source={h} />
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
                {/* keyed by the reset count: after a Reset the refreshed page's (empty) results replace the shown ones */}
                <TaskCheck
                  key={`${t.id}:${view.resets}`}
                  scenarioId={s.id}
                  taskId={t.id}
                  initial={view.checks[t.id] ?? null}
                />
                <SolutionReveal key={`${t.id}:${view.resets}`} taskId={t.id}>
                  {solution.explanation && <Markdown source={solution.explanation} />}
                  {solution.files.map((f) => (
                    <div key={f.name} className="mt-3">
                      <div className="font-mono text-xs text-slate-500">{f.name}</div>
                      <CodeBlock code={f.text.replace(/\n$/, "")} lang="yaml" runnable={false} />
                    </div>
                  ))}
                </SolutionReveal>
              </li>
            );
          })}
        </ol>
        <FinishPanel startedAt={view.startedAt} totalPoints={s.totalPoints} next={view.next} />
        <FocusShortcuts />
      </div>
    </ScenarioProgressProvider>
  );
  return (
    // the page never scrolls: each pane scrolls on its own
    <main className="flex h-[calc(100dvh-45px)] flex-col overflow-hidden">
      <ClusterBar scenarioId={s.id} cluster={view.cluster} istioRange={s.istio} />
      <SplitPane
        left={instructions}
        right={
          terminalToken ? (
            <Terminal scenarioId={s.id} token={terminalToken} />
          ) : (
            <div className="p-6 text-sm text-slate-500">The terminal is not available.</div>
          )
        }
      />
    </main>
  );
}

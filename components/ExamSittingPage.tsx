import type { ExamPageView } from "@/lib/player/exam-page-view";
import { ExamRunner } from "./ExamRunner";
import { Markdown } from "./Markdown";

/**
 * The exam page: one task at a time with its points and documentation link, the task list with
 * flags, the countdown and End exam, and one terminal for the whole exam. The tasks' Markdown is
 * rendered here on the server; the view holds nothing of checks, hints or solutions.
 */
export function ExamSittingPage({ view, terminalToken }: { view: ExamPageView; terminalToken: string }) {
  const bodies = view.tasks.map((t) =>
    t.markdown === null ? (
      <p key={t.position} className="text-sm text-red-700">
        This task's scenario no longer loads; it is graded as it stands.
      </p>
    ) : (
      <Markdown key={t.position} source={t.markdown} />
    ),
  );
  const { tasks, ...rest } = view;
  return (
    <ExamRunner
      exam={{ ...rest, tasks: tasks.map(({ markdown: _markdown, ...t }) => t) }}
      bodies={bodies}
      terminalToken={terminalToken}
    />
  );
}

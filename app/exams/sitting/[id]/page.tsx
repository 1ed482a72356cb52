import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ExamSittingPage } from "@/components/ExamSittingPage";
import { AppError } from "@/lib/errors";
import { getExamPage } from "@/lib/player/exam-page-view";
import { ZExamSittingId } from "@/lib/terminal/terminal-target";
import { issueTerminalToken } from "@/lib/terminal/terminal-tokens";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Exam · ICA Practice" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const id = ZExamSittingId.safeParse((await params).id);
  if (!id.success) notFound();
  const page = await getExamPage(id.data).catch((e) => {
    if (e instanceof AppError && e.code === "not-found") return null;
    throw e;
  });
  if (page === null) notFound();
  if (page.state === "finished") redirect(`/exams/sitting/${id.data}/report`);
  if (page.state === "time-up") {
    return (
      <main className="mx-auto max-w-3xl px-6 py-8">
        <h1 className="text-xl font-semibold">Time is up</h1>
        <p className="mt-2 text-sm text-red-700" data-grading-error>
          The exam could not be graded: {page.error}
        </p>
      </main>
    );
  }
  const token = issueTerminalToken({ kind: "exam", id: id.data }, { endsAt: new Date(page.view.endsAt) });
  return <ExamSittingPage view={page.view} terminalToken={token} />;
}

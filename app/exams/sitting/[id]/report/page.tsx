import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ExamReportPage } from "@/components/ExamReportPage";
import { AppError } from "@/lib/errors";
import { getExamReportPage } from "@/lib/player/exam-report-page";
import { ZExamSittingId } from "@/lib/terminal/terminal-target";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Exam report · ICA Practice" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const id = ZExamSittingId.safeParse((await params).id);
  if (!id.success) notFound();
  const page = await getExamReportPage(id.data).catch((e) => {
    if (e instanceof AppError && e.code === "not-found") return null;
    throw e;
  });
  if (page === null) notFound();
  if (page.state === "running") redirect(`/exams/sitting/${id.data}`);
  return <ExamReportPage report={page.report} />;
}

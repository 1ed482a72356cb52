import type { Metadata } from "next";
import { ExamsPage } from "@/components/ExamsPage";
import { getExamsView } from "@/lib/player/exams-view";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Mock exams · ICA Practice" };

export default async function Exams() {
  return <ExamsPage view={await getExamsView()} />;
}

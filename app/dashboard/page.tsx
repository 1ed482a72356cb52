import type { Metadata } from "next";
import { DashboardPage } from "@/components/DashboardPage";
import { getDashboardView } from "@/lib/player/dashboard-view";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Readiness · ICA Practice" };

export default async function Dashboard() {
  return <DashboardPage view={await getDashboardView()} />;
}

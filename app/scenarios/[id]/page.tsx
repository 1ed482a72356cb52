import { notFound } from "next/navigation";
import { ScenarioPage } from "@/components/ScenarioPage";
import { getScenarioView } from "@/lib/player/scenario-view";
import { issueTerminalToken } from "@/lib/terminal/terminal-tokens";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const view = await getScenarioView((await params).id);
  if (!view) notFound();
  return <ScenarioPage view={view} terminalToken={view.ok ? issueTerminalToken(view.scenario.id) : undefined} />;
}

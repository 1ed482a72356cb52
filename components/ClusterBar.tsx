import type { ClusterView } from "@/lib/player/scenario-view";
import { ClusterStatus } from "./ClusterStatus";
import { ResetButton } from "./ResetButton";
import { RetryButton } from "./RetryButton";

/** Which cluster the scenario runs on, its status and up button, whether it is set up, and Reset. */
export function ClusterBar({
  scenarioId,
  cluster,
  istioRange,
}: {
  scenarioId: string;
  cluster: ClusterView;
  /** the scenario's `istio` range: the status marks a running Istio outside it */
  istioRange?: string;
}) {
  return (
    <div
      className="flex items-start gap-4 border-b border-slate-200 bg-white px-4 py-2 text-xs"
      data-cluster={cluster.driver}
    >
      <span className="pt-1 text-slate-500">
        Cluster: <span className="font-mono text-slate-800">{cluster.name}</span>
      </span>
      <ClusterStatus istioRange={istioRange} bare={cluster.bare} />
      {cluster.driver === "none" && (
        <span className="pt-1 text-amber-700">
          No cluster. Start one here, or with <code className="font-mono">npm run cluster -- up</code>, then reload.
        </span>
      )}
      {cluster.driver !== "none" && cluster.prepared === null && (
        <span className="pt-1 text-amber-800" data-cluster-problem>
          {cluster.driver === "lite" ? (
            <>
              The lite cluster does not answer. Start it with{" "}
              <code className="font-mono">npm run cluster -- up --driver lite</code>.
            </>
          ) : (
            <>Could not ask the cluster: {cluster.problem}.</>
          )}
          <RetryButton />
        </span>
      )}
      {cluster.driver !== "none" && cluster.prepared !== null && (
        <div className="ml-auto">
          {cluster.prepared ? (
            <ResetButton scenarioId={scenarioId} label="Reset" confirmFirst />
          ) : (
            <ResetButton scenarioId={scenarioId} label="Set up scenario" confirmFirst={false} auto />
          )}
        </div>
      )}
    </div>
  );
}

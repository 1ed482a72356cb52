"use client";

import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import type { ClusterStatusView } from "@/lib/player/cluster-status";
import { IstioUnsupportedBadge } from "./IstioUnsupportedBadge";

interface RunningIstio {
  driver?: string;
  /** undefined until known, and when the cluster has none we can read */
  version?: string;
}

const RunningIstioContext = createContext<RunningIstio>({});

/**
 * The running cluster's Istio version for a page of scenarios: GET /api/cluster once, after the
 * page renders, so a slow or absent cluster never holds the page up.
 */
export function RunningIstioProvider({ children }: { children: ReactNode }) {
  const [running, setRunning] = useState<RunningIstio>({});
  useEffect(() => {
    let isCurrent = true;
    void fetch("/api/cluster", { cache: "no-store" })
      .then((res) => (res.ok ? (res.json() as Promise<ClusterStatusView>) : undefined))
      .then((view) => {
        if (isCurrent && view) setRunning({ driver: view.driver, version: view.istioVersion });
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, []);
  return <RunningIstioContext value={running}>{children}</RunningIstioContext>;
}

/** "· the lite cluster runs Istio 1.31-dev-…", once known. */
export function RunningIstioVersion() {
  const { driver, version } = useContext(RunningIstioContext);
  if (!version) return null;
  return (
    <span data-running-istio={version}>
      {" "}
      · the {driver} cluster runs Istio <span className="font-mono">{version}</span>
    </span>
  );
}

/** A scenario card's mark when the running Istio is outside its range. */
export function RunningIstioBadge({ range }: { range: string }) {
  return <IstioUnsupportedBadge range={range} version={useContext(RunningIstioContext).version} />;
}

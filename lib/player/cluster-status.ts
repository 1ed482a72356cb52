// What the cluster bar shows: the active cluster's driver, Kubernetes and Istio versions and each
// piece's readiness, from the driver's status(). A status asks the tools (kind's asks docker,
// kind and kubectl), so it is cached for a few seconds on the server, on globalThis so that
// every route's copy of this module shares it.
import { type ActiveCluster, resolveActiveCluster } from "../cluster/active-cluster";
import { bareActiveCluster, createBareDriver } from "../cluster/bare-cluster";
import { createKindDriver } from "../cluster/drivers/kind";
import { examIstioVersion } from "../cluster/drivers/kind-plan";
import { createLiteDriver } from "../cluster/drivers/lite";
import type { DriverStatus, StatusPiece } from "../cluster/drivers/types";

export interface ClusterStatusView {
  driver: ActiveCluster["driver"];
  name: string;
  /** null: not a cluster the app manages (current), or none */
  isReady: boolean | null;
  kubernetesVersion?: string;
  istioVersion?: string;
  /** the exam's version, when the running one differs from it */
  examIstioVersion?: string;
  pieces: StatusPiece[];
  /** the first line that says why it is not ready */
  problem?: string;
  /** the button: start a cluster, or repair the app's own; none on a ready or a foreign cluster */
  action?: "start" | "repair";
}

/** Pure: the view of a status (undefined for a cluster with no driver of ours). */
export function clusterStatusViewOf(
  active: Pick<ActiveCluster, "driver" | "name" | "bare">,
  status: DriverStatus | undefined,
  examVersion: string,
): ClusterStatusView {
  const base = { driver: active.driver, name: active.name };
  if (active.driver === "none") return { ...base, isReady: null, pieces: [], action: "start" };
  if (!status) return { ...base, isReady: null, pieces: [] };
  const pieces = status.pieces ?? [];
  const notReady = pieces.find((p) => !p.isReady);
  const isOtherIstio =
    active.driver === "kind" && status.istioVersion !== undefined && status.istioVersion !== examVersion;
  return {
    ...base,
    isReady: status.running,
    kubernetesVersion: status.kubernetesVersion,
    istioVersion: status.istioVersion,
    examIstioVersion: isOtherIstio ? examVersion : undefined,
    pieces,
    problem: status.running
      ? undefined
      : active.bare
        ? "not running: Set up the scenario to start it over"
        : notReady
          ? `${notReady.name}: ${notReady.detail}`
          : status.details.at(-1),
    // the bare cluster is started by the scenario's Set up, never by this button
    action: status.running || active.bare ? undefined : "repair",
  };
}

const TTL_MS = 5_000;

interface Cache {
  at: number;
  value: Promise<ClusterStatusView>;
}
/** Which cluster: the active one, or the bare cluster of install tasks. */
export type StatusOf = "active" | "bare";
const store = globalThis as { __icaClusterStatus?: Partial<Record<StatusOf, Cache>> };

/** The status view of the active (or the bare) cluster, at most a few seconds old. */
export function getClusterStatusView(now = Date.now(), of: StatusOf = "active"): Promise<ClusterStatusView> {
  store.__icaClusterStatus ??= {};
  const cached = store.__icaClusterStatus[of];
  if (cached && now - cached.at < TTL_MS) return cached.value;
  const value = readClusterStatusView(of);
  store.__icaClusterStatus[of] = { at: now, value };
  value.catch(() => forgetClusterStatus());
  return value;
}

/** After an up: the next look asks the driver again. */
export function forgetClusterStatus(): void {
  store.__icaClusterStatus = undefined;
}

async function readClusterStatusView(of: StatusOf): Promise<ClusterStatusView> {
  if (of === "bare") {
    const status = await createBareDriver().status();
    return clusterStatusViewOf(bareActiveCluster(), status, examIstioVersion());
  }
  const active = resolveActiveCluster();
  const driver =
    active.driver === "lite" ? createLiteDriver() : active.driver === "kind" ? createKindDriver() : undefined;
  return clusterStatusViewOf(active, driver ? await driver.status() : undefined, examIstioVersion());
}

// The cluster bar's view of a driver's status: versions, pieces, why it is not ready, and which
// button it offers.
import { describe, expect, it } from "vitest";
import type { DriverStatus } from "../cluster/drivers/types";
import { clusterStatusViewOf, forgetClusterStatus, getClusterStatusView } from "./cluster-status";

const kindStatus = (over: Partial<DriverStatus> = {}): DriverStatus => ({
  running: true,
  details: ["cluster: ica-practice"],
  kubernetesVersion: "v1.33.1",
  istioVersion: "1.26.8",
  pieces: [
    { name: "istiod", isReady: true, detail: "1/1 available" },
    { name: "Check's credential", isReady: true, detail: "read-only" },
  ],
  ...over,
});
const KIND = { driver: "kind", name: "kind" } as const;

describe("clusterStatusViewOf", () => {
  it("a ready kind cluster: versions and pieces, no button", () => {
    expect(clusterStatusViewOf(KIND, kindStatus(), "1.26.8")).toEqual({
      driver: "kind",
      name: "kind",
      isReady: true,
      kubernetesVersion: "v1.33.1",
      istioVersion: "1.26.8",
      examIstioVersion: undefined,
      pieces: kindStatus().pieces,
      problem: undefined,
      action: undefined,
    });
  });

  it("a piece not ready: names it, offers a repair", () => {
    const pieces = [
      { name: "istiod", isReady: true, detail: "1/1 available" },
      { name: "httpbin", isReady: false, detail: "0/1 available" },
    ];
    const view = clusterStatusViewOf(KIND, kindStatus({ running: false, pieces }), "1.26.8");
    expect(view).toMatchObject({ isReady: false, problem: "httpbin: 0/1 available", action: "repair" });
  });

  it("a stopped cluster with no pieces: the status's last line says why", () => {
    const status = { running: false, details: ["cluster: ica-practice", "Docker is not running"] };
    expect(clusterStatusViewOf(KIND, status, "1.26.8")).toMatchObject({
      isReady: false,
      pieces: [],
      problem: "Docker is not running",
      action: "repair",
    });
  });

  it("kind running another Istio than the exam's: shows the exam's", () => {
    const view = clusterStatusViewOf(KIND, kindStatus({ running: false, istioVersion: "1.25.2" }), "1.26.8");
    expect(view.examIstioVersion).toBe("1.26.8");
  });

  it("lite's development Istio is not compared with the exam's", () => {
    const lite = clusterStatusViewOf(
      { driver: "lite", name: "lite" },
      kindStatus({ istioVersion: "1.31-dev" }),
      "1.26.8",
    );
    expect(lite.examIstioVersion).toBeUndefined();
  });

  it("no cluster: offers to start one; a current cluster: no status, no button", () => {
    expect(clusterStatusViewOf({ driver: "none", name: "none" }, undefined, "1.26.8")).toEqual({
      driver: "none",
      name: "none",
      isReady: null,
      pieces: [],
      action: "start",
    });
    expect(clusterStatusViewOf({ driver: "current", name: "ctx" }, undefined, "1.26.8")).toEqual({
      driver: "current",
      name: "ctx",
      isReady: null,
      pieces: [],
    });
  });
});

describe("getClusterStatusView", () => {
  it("answers from its cache for a few seconds, and asks again after forgetClusterStatus", async () => {
    const saved = process.env.ICA_CLUSTER;
    process.env.ICA_CLUSTER = "none";
    try {
      forgetClusterStatus();
      const first = getClusterStatusView(1_000);
      expect(getClusterStatusView(5_999)).toBe(first);
      expect(getClusterStatusView(6_000)).not.toBe(first);
      const cached = getClusterStatusView(6_001);
      forgetClusterStatus();
      expect(getClusterStatusView(6_002)).not.toBe(cached);
      expect(await first).toMatchObject({ driver: "none", action: "start" });
    } finally {
      process.env.ICA_CLUSTER = saved;
      forgetClusterStatus();
    }
  });
});

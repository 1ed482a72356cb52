// The deadline, kept by the server: a sitting past its deadline is graded by the first request
// that finds it (the page, a flag, a practice Check), once, with the time-out recorded, and its
// terminal is closed; before the deadline nothing is graded unless the learner asks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadFileCluster } from "../cluster/file-cluster";
import type { Cluster, ClusterResult } from "../cluster/types";
import { examScenarioManifests } from "../exams/exam-task-manifests";
import { loadScenario } from "../scenarios/load-scenario";
import { issueTerminalToken, verifyTerminalToken } from "../terminal/terminal-tokens";
import { flagTaskForReview, refuseDuringExam, requestExamEnd, settleExpiredExam } from "./end-exam";
import { getExamPage } from "./exam-page-view";
import { getExamReportPage } from "./exam-report-page";
import { startExam } from "./start-exam";

const grader = vi.hoisted(() => ({ cluster: undefined as ClusterResult<Cluster> | undefined, reads: 0 }));
vi.mock("../cluster/active-cluster", () => ({
  resolveActiveCluster: () => ({
    driver: "current",
    name: "test-context",
    kubeconfig: "/nonexistent/kubeconfig",
    capabilities: { dataPlane: false },
  }),
  connectGrader: () => {
    grader.reads++;
    return grader.cluster;
  },
}));

const store = globalThis as unknown as { icaDb?: { $disconnect(): Promise<void> } };
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ica-end-exam-"));
  vi.stubEnv("DATABASE_URL", `file:${path.join(dir, "progress.db")}`);
  store.icaDb = undefined;
});
afterAll(async () => {
  await store.icaDb?.$disconnect();
  store.icaDb = undefined;
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = new Date("2026-12-21T09:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** The cluster as the exam's setup leaves it (from files), with traffic-shift's task solved. */
function setUpOnFiles(tasks: readonly { scenario: string; task: string }[]): void {
  const asked = new Map<string, string[]>();
  for (const t of tasks) asked.set(t.scenario, [...(asked.get(t.scenario) ?? []), t.task]);
  const manifests = [...asked].flatMap(([id, taskIds]) => {
    const r = loadScenario(id);
    if (!r.ok) throw new Error(id);
    return examScenarioManifests(r.scenario, taskIds);
  });
  const shift = loadScenario("traffic-shift");
  if (!shift.ok) throw new Error("traffic-shift");
  const solution = shift.scenario.tasks.find((t) => t.id === "shift")!.solution;
  const { cluster, errors } = loadFileCluster([...manifests, { path: solution }]);
  expect(errors).toEqual([]);
  grader.cluster = { ok: true, value: cluster };
}

describe("the exam's deadline", () => {
  let id = "";

  it("before it, requests grade nothing: flags change, a countdown at zero too early gets the time left", async () => {
    const session = await startExam({ exam: "mock-1" }, T0);
    id = session.id;
    setUpOnFiles(session.tasks);
    expect(await settleExpiredExam(at(119))).toEqual({ settled: false });
    expect(await flagTaskForReview(id, 2, true, at(60))).toEqual({ position: 2, flagged: true });
    // a browser whose clock ran fast asks at its zero: the server's deadline is 30 s away
    expect(await requestExamEnd(id, { atDeadline: true }, at(119.5))).toEqual({
      status: "running",
      remainingMs: 30_000,
    });
    expect(grader.reads).toBe(0);
    const page = await getExamPage(id, at(119.5));
    expect(page.state === "running" && page.view.remainingMs).toBe(30_000);
    await expect(refuseDuringExam("Check", at(100))).rejects.toMatchObject({ code: "forbidden" });
  });

  it("past it, the first request grades the sitting once, records the time-out and closes its terminal", async () => {
    const target = { kind: "exam", id } as const;
    const token = issueTerminalToken(target, { endsAt: at(200) }); // the test's clock is real, the exam's is not
    // two requests find it past its deadline at once: one grading, both see the sitting finished
    const [a, b] = await Promise.all([getExamPage(id, at(121)), getExamReportPage(id, at(121))]);
    expect(a).toEqual({ state: "finished" });
    expect(b.state).toBe("finished");
    expect(grader.reads).toBe(1);
    if (b.state !== "finished") throw new Error("unreachable");
    expect(b.report).toMatchObject({
      status: "graded",
      passed: false,
      session: { status: "graded", timedOut: true, finishedAt: at(121), gradings: 1 },
    });
    const shift = b.report.tasks.find((t) => t.task === "shift");
    expect(shift?.earned).toBe(shift?.points);
    expect(b.report.tasks.find((t) => t.position === 2)?.flagged).toBe(true);
    expect(verifyTerminalToken(target, token)).toBe(false);

    // after it: nothing more is graded, flags are refused, practice may go on
    expect(await settleExpiredExam(at(130))).toEqual({ settled: false });
    await expect(flagTaskForReview(id, 3, true, at(130))).rejects.toMatchObject({ code: "invalid" });
    await expect(refuseDuringExam("Check", at(130))).resolves.toBeUndefined();
    expect(await requestExamEnd(id, { atDeadline: false }, at(131))).toEqual({ status: "graded", reason: null });
    expect(grader.reads).toBe(1);
  });

  it("a practice Check past the deadline grades the exam first, then goes ahead", async () => {
    const session = await startExam({ exam: "mock-2" }, at(24 * 60));
    grader.cluster = { ok: false, failure: { reason: "unreachable", message: "the cluster is down" } };
    await expect(refuseDuringExam("Check", at(24 * 60 + 121))).resolves.toBeUndefined();
    const page = await getExamReportPage(session.id, at(24 * 60 + 122));
    expect(page.state === "finished" && page.report).toMatchObject({
      status: "not-graded",
      session: { timedOut: true },
    });
    // "not graded": the learner is told and can grade again; a deadline already past does not stop that
    setUpOnFiles(session.tasks);
    expect(await requestExamEnd(session.id, { atDeadline: false }, at(24 * 60 + 200))).toEqual({
      status: "graded",
      reason: null,
    });
  });
});

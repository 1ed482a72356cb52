import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import type { CheckStatus } from "../verify/types";
import { type ScoringResult, type ScoringTask, scoreExam } from "./score-exam";

// A small exam: 20 points, install 4, traffic 8, security 5, troubleshooting 3.
const TASKS: ScoringTask[] = [
  { scenario: "inj", task: "enable", domain: "install", points: 4, checks: [{ id: "label" }, { id: "pods" }] },
  {
    scenario: "shift",
    task: "shift",
    domain: "traffic",
    points: 6,
    checks: [{ id: "vs", weight: 2 }, { id: "dr" }, { id: "subsets", weight: 3 }],
  },
  { scenario: "fault", task: "delay", domain: "traffic", points: 2, checks: [{ id: "fault" }] },
  { scenario: "authz", task: "deny", domain: "security", points: 5, checks: [{ id: "policy" }] },
  { scenario: "ports", task: "name", domain: "troubleshooting", points: 3, checks: [{ id: "port" }, { id: "svc" }] },
];

/** Results for every check of TASKS: `fail` unless named in `statuses` ("scenario/task/check"). */
function results(statuses: Record<string, CheckStatus> = {}): ScoringResult[] {
  return TASKS.flatMap((t) =>
    t.checks.map((c) => {
      const status = statuses[`${t.scenario}/${t.task}/${c.id}`] ?? "fail";
      return { scenario: t.scenario, task: t.task, check: c.id, status, message: `${c.id}: ${status}` };
    }),
  );
}

function allPass(): Record<string, CheckStatus> {
  return Object.fromEntries(
    TASKS.flatMap((t) => t.checks.map((c) => [`${t.scenario}/${t.task}/${c.id}`, "pass" as const])),
  );
}

function graded(score: ReturnType<typeof scoreExam>) {
  if (score.status !== "graded") throw new Error(`expected a graded score, got: ${score.reason}`);
  return score;
}

describe("scoreExam", () => {
  it("gives every point and passes when every check passes", () => {
    const s = graded(scoreExam({ tasks: TASKS }, results(allPass())));
    expect(s).toMatchObject({ earned: 20, possible: 20, percent: 100, passPercent: 68, passed: true });
    expect(s.tasks.map((t) => t.earned)).toEqual([4, 6, 2, 5, 3]);
    expect(s.domains).toEqual({
      install: { earned: 4, possible: 4, percent: 100 },
      traffic: { earned: 8, possible: 8, percent: 100 },
      security: { earned: 5, possible: 5, percent: 100 },
      troubleshooting: { earned: 3, possible: 3, percent: 100 },
    });
  });

  it("gives partial credit: a task's points split evenly among its checks by default", () => {
    const s = graded(scoreExam({ tasks: TASKS }, results({ "inj/enable/label": "pass", "ports/name/svc": "pass" })));
    const [inj, , , , ports] = s.tasks;
    expect(inj).toMatchObject({ earned: 2, possible: 4, isJudged: true });
    expect(inj.checks).toEqual([
      { check: "label", weight: 1, status: "pass", message: "label: pass", worth: 2, earned: 2 },
      { check: "pods", weight: 1, status: "fail", message: "pods: fail", worth: 2, earned: 0 },
    ]);
    expect(ports).toMatchObject({ earned: 1.5, possible: 3 });
    expect(s).toMatchObject({ earned: 3.5, possible: 20, percent: 17.5, passed: false });
    expect(s.domains.install).toEqual({ earned: 2, possible: 4, percent: 50 });
    expect(s.domains.troubleshooting).toEqual({ earned: 1.5, possible: 3, percent: 50 });
  });

  it("splits by the checks' weights", () => {
    // shift/shift: 6 points over weights 2, 1, 3: vs 2, dr 1, subsets 3
    const s = graded(scoreExam({ tasks: TASKS }, results({ "shift/shift/vs": "pass", "shift/shift/subsets": "pass" })));
    const shift = s.tasks[1];
    expect(shift.checks.map((c) => [c.check, c.worth, c.earned])).toEqual([
      ["vs", 2, 2],
      ["dr", 1, 0],
      ["subsets", 3, 3],
    ]);
    expect(shift.earned).toBe(5);
    expect(s.domains.traffic).toEqual({ earned: 5, possible: 8, percent: 62.5 });
  });

  it("scores unanswered tasks 0 from their failing checks, and still grades the exam", () => {
    const s = graded(scoreExam({ tasks: TASKS }, results({ "authz/deny/policy": "pass" })));
    expect(s.tasks.map((t) => [t.task, t.earned, t.possible])).toEqual([
      ["enable", 0, 4],
      ["shift", 0, 6],
      ["delay", 0, 2],
      ["deny", 5, 5],
      ["name", 0, 3],
    ]);
    expect(s).toMatchObject({ earned: 5, possible: 20, percent: 25, passed: false });
    expect(graded(scoreExam({ tasks: TASKS }, results())).percent).toBe(0);
  });

  it("passes at the pass mark exactly, by default 68, or at the exam's own mark", () => {
    const all = allPass();
    const fail = (...keys: string[]) => ({ ...all, ...Object.fromEntries(keys.map((k) => [k, "fail" as const])) });
    // 14 of 20 (70%) passes the default 68; 13 of 20 (65%) does not
    const at70 = fail("ports/name/port", "ports/name/svc", "shift/shift/dr", "inj/enable/pods");
    const at65 = fail("ports/name/port", "ports/name/svc", "fault/delay/fault", "inj/enable/pods");
    expect(graded(scoreExam({ tasks: TASKS }, results(at70)))).toMatchObject({ earned: 14, percent: 70, passed: true });
    expect(graded(scoreExam({ tasks: TASKS }, results(at65)))).toMatchObject({
      earned: 13,
      percent: 65,
      passed: false,
    });
    // 17 of 20 is 85%: it meets a pass mark of 85, not one of 85.1
    const at85 = results(fail("ports/name/port", "ports/name/svc"));
    expect(graded(scoreExam({ tasks: TASKS, passPercent: 85 }, at85))).toMatchObject({ percent: 85, passed: true });
    expect(graded(scoreExam({ tasks: TASKS, passPercent: 85.1 }, at85))).toMatchObject({
      passPercent: 85.1,
      passed: false,
    });
  });

  it("passes a percent that floating-point sums leave a hair under the mark", () => {
    // three checks of weight 1 on a 1-point task: thirds that do not sum to exactly 1 in binary
    const tasks: ScoringTask[] = [
      { scenario: "a", task: "t", domain: "traffic", points: 1, checks: [{ id: "x" }, { id: "y" }, { id: "z" }] },
      { scenario: "b", task: "t", domain: "traffic", points: 2, checks: [{ id: "x" }] },
    ];
    const r = (scenario: string, check: string, status: CheckStatus): ScoringResult => ({
      scenario,
      task: "t",
      check,
      status,
      message: "",
    });
    const s = graded(
      scoreExam({ tasks, passPercent: (100 * (2 / 3)) / 3 }, [
        r("a", "x", "pass"),
        r("a", "y", "pass"),
        r("a", "z", "fail"),
        r("b", "x", "fail"),
      ]),
    );
    expect(s.passed).toBe(true);
  });

  it("pays a check that passes from the setup alone only once the learner made another check pass", () => {
    // authz-deny-allow/allow-curl drawn without deny-all: deny-all's solution is in the setup, so
    // the "others still denied" guards pass before the learner does anything
    const tasks: ScoringTask[] = [
      {
        scenario: "authz",
        task: "allow-curl",
        domain: "security",
        points: 6,
        checks: [
          { id: "curl-allowed", weight: 2 },
          { id: "post-denied", isPreSatisfied: true },
          { id: "other-sa-denied", isPreSatisfied: true },
        ],
      },
      { scenario: "x", task: "guards-only", domain: "traffic", points: 2, checks: [{ id: "g", isPreSatisfied: true }] },
    ];
    const run = (allowed: CheckStatus, postDenied: CheckStatus) =>
      graded(
        scoreExam({ tasks }, [
          { scenario: "authz", task: "allow-curl", check: "curl-allowed", status: allowed, message: "" },
          { scenario: "authz", task: "allow-curl", check: "post-denied", status: postDenied, message: "" },
          { scenario: "authz", task: "allow-curl", check: "other-sa-denied", status: "pass", message: "" },
          { scenario: "x", task: "guards-only", check: "g", status: "pass", message: "" },
        ]),
      );
    // unanswered: the guards pass, the task earns nothing
    const unanswered = run("fail", "pass").tasks[0];
    expect(unanswered).toMatchObject({ earned: 0, possible: 6, isAnswered: false });
    expect(unanswered.checks.map((c) => [c.check, c.status, c.worth, c.earned])).toEqual([
      ["curl-allowed", "fail", 3, 0],
      ["post-denied", "pass", 1.5, 0],
      ["other-sa-denied", "pass", 1.5, 0],
    ]);
    // answered: every passing check counts, guards too
    expect(run("pass", "pass").tasks[0]).toMatchObject({ earned: 6, isAnswered: true });
    // answered too broadly: the POST is no longer denied
    expect(run("pass", "fail").tasks[0]).toMatchObject({ earned: 4.5, isAnswered: true });
    // a task made only of such checks is scored as they say
    expect(run("fail", "pass").tasks[1]).toMatchObject({ earned: 2, isAnswered: true });
  });

  it("leaves a skipped check out of its task's split, and a task with every check skipped out of the score", () => {
    const s = graded(
      scoreExam(
        { tasks: TASKS },
        results({
          ...allPass(),
          "inj/enable/pods": "skipped", // label alone is worth the 4 points
          "ports/name/port": "skipped",
          "ports/name/svc": "skipped", // the whole task is left out
        }),
      ),
    );
    expect(s.tasks[0]).toMatchObject({ earned: 4, possible: 4, isJudged: true });
    expect(s.tasks[0].checks.map((c) => [c.check, c.worth])).toEqual([
      ["label", 4],
      ["pods", 0],
    ]);
    expect(s.tasks[4]).toMatchObject({ earned: 0, possible: 0, isJudged: false });
    expect(s.domains.troubleshooting).toEqual({ earned: 0, possible: 0, percent: null });
    expect(s).toMatchObject({ earned: 17, possible: 17, percent: 100 });
  });

  it("does not grade an exam with a check that errored: it names the checks and the reason", () => {
    const unreachable = "The lite cluster is not running. Start it with: npm run cluster -- up --driver lite";
    const rs = results(allPass()).map((r) =>
      r.scenario === "authz" || r.check === "dr" ? { ...r, status: "error" as const, message: unreachable } : r,
    );
    const s = scoreExam({ tasks: TASKS }, rs);
    expect(s).toEqual({
      status: "not-graded",
      reason: `2 of 9 checks could not run, so the exam is not graded (grade again once they can): ${unreachable}`,
      errored: [
        { scenario: "shift", task: "shift", check: "dr", message: unreachable },
        { scenario: "authz", task: "deny", check: "policy", message: unreachable },
      ],
    });
  });

  it("does not grade a check with no result as failed: it is not graded", () => {
    const rs = results(allPass()).filter((r) => r.check !== "fault");
    const s = scoreExam({ tasks: TASKS }, rs);
    expect(s).toMatchObject({
      status: "not-graded",
      errored: [
        { scenario: "fault", task: "delay", check: "fault", message: "no result for this check: it was not run" },
      ],
    });
  });

  it("does not grade an exam of which nothing could be judged", () => {
    const skipped = Object.fromEntries(Object.keys(allPass()).map((k) => [k, "skipped" as const]));
    expect(scoreExam({ tasks: TASKS }, results(skipped))).toMatchObject({ status: "not-graded", errored: [] });
  });

  it("grades again once the errored checks can run", () => {
    const down = results().map((r) => ({ ...r, status: "error" as const, message: "connection refused" }));
    expect(scoreExam({ tasks: TASKS }, down).status).toBe("not-graded");
    expect(graded(scoreExam({ tasks: TASKS }, results({ "authz/deny/policy": "pass" }))).earned).toBe(5);
  });

  it("ignores results for checks the exam does not have", () => {
    const extra = [
      ...results(allPass()),
      { scenario: "other", task: "t", check: "c", status: "error" as const, message: "" },
    ];
    expect(graded(scoreExam({ tasks: TASKS }, extra)).percent).toBe(100);
  });

  it("refuses tasks it cannot score", () => {
    const [first] = TASKS;
    expect(() => scoreExam({ tasks: [first, first] }, [])).toThrow(AppError);
    expect(() => scoreExam({ tasks: [{ ...first, points: 0 }] }, [])).toThrow(/0 points/);
    expect(() => scoreExam({ tasks: [{ ...first, checks: [{ id: "x", weight: 0 }] }] }, [])).toThrow(/weight 0/);
    expect(() => scoreExam({ tasks: [{ ...first, checks: [] }] }, [])).toThrow(/no checks/);
  });
});

import { describe, expect, it } from "vitest";
import {
  type CatalogTask,
  catalogTasksOf,
  computeReadiness,
  latestTaskResults,
  scorePracticeRun,
  type TaskRecordInput,
  weakestCompetencies,
} from "./readiness";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 10, 9, minute));

// traffic: mirror (2 pts + 4 pts, the second with two checks weighted 3:1), shift (4 pts);
// security: authz (5 pts); troubleshooting: hosts (4 pts); install: none.
const TASKS: CatalogTask[] = [
  task("mirror", "subsets", "traffic", "Traffic shifting", 2, [{ id: "dr" }]),
  task("mirror", "mirror", "traffic", "Traffic shifting", 4, [
    { id: "route", weight: 3 },
    { id: "pct", weight: 1 },
  ]),
  task("timeouts", "retry", "traffic", "Resilience", 4, [{ id: "retries" }]),
  task("authz", "deny", "security", "Authorization", 5, [{ id: "policy" }]),
  task("hosts", "fix", "troubleshooting", "Configuration", 4, [{ id: "fqdn" }]),
];

function task(
  scenario: string,
  id: string,
  domain: CatalogTask["domain"],
  competency: string,
  points: number,
  checks: CatalogTask["checks"],
): CatalogTask {
  return { scenario, scenarioTitle: `${scenario} title`, task: id, domain, competency, points, checks };
}

function practice(scenario: string, t: string, minute: number, statuses: Record<string, string>): TaskRecordInput {
  return {
    source: "practice",
    scenario,
    task: t,
    at: at(minute),
    results: Object.entries(statuses).map(([check, status]) => ({ checkId: `${t}/${check}`, status })),
  };
}

function exam(scenario: string, t: string, minute: number, earned: number, possible: number): TaskRecordInput {
  return { source: "exam", scenario, task: t, at: at(minute), earned, possible };
}

describe("scorePracticeRun: a Check scored as an exam scores the task", () => {
  const mirror = TASKS[1];
  it("gives partial credit by the checks' weights", () => {
    expect(scorePracticeRun(mirror, [r("mirror/route", "pass"), r("mirror/pct", "fail")])).toBe(0.75);
    expect(scorePracticeRun(mirror, [r("mirror/route", "fail"), r("mirror/pct", "pass")])).toBe(0.25);
    expect(scorePracticeRun(mirror, [r("mirror/route", "pass"), r("mirror/pct", "pass")])).toBe(1);
  });
  it("lets a skipped check's share go to the others", () => {
    expect(scorePracticeRun(mirror, [r("mirror/route", "skipped"), r("mirror/pct", "pass")])).toBe(1);
  });
  it("says nothing for an error, every check skipped, or a check without a result", () => {
    expect(scorePracticeRun(mirror, [r("mirror/route", "pass"), r("mirror/pct", "error")])).toBeUndefined();
    expect(scorePracticeRun(mirror, [r("mirror/route", "skipped"), r("mirror/pct", "skipped")])).toBeUndefined();
    expect(scorePracticeRun(mirror, [r("mirror/route", "pass")])).toBeUndefined();
    // another task's results do not count for this one
    expect(scorePracticeRun(mirror, [r("subsets/route", "pass"), r("subsets/pct", "pass")])).toBeUndefined();
  });
});

describe("latestTaskResults", () => {
  it("keeps the latest result per task over practice Checks and exam gradings", () => {
    const latest = latestTaskResults(TASKS, [
      practice("mirror", "subsets", 1, { dr: "pass" }),
      exam("mirror", "subsets", 5, 0, 2),
      exam("authz", "deny", 2, 5, 5),
      practice("authz", "deny", 7, { policy: "fail" }),
      practice("hosts", "fix", 3, { fqdn: "fail" }),
      exam("hosts", "fix", 4, 2, 4),
    ]);
    expect(Object.fromEntries([...latest].map(([k, v]) => [k, [v.fraction, v.source, v.at.getUTCMinutes()]]))).toEqual({
      "mirror/subsets": [0, "exam", 5],
      "authz/deny": [0, "practice", 7],
      "hosts/fix": [0.5, "exam", 4],
    });
  });

  it("passes over a Check that errored or skipped everything, and an exam task whose checks were all skipped", () => {
    const latest = latestTaskResults(TASKS, [
      practice("mirror", "subsets", 1, { dr: "pass" }),
      practice("mirror", "subsets", 2, { dr: "error" }),
      practice("mirror", "subsets", 3, { dr: "skipped" }),
      exam("authz", "deny", 1, 5, 5),
      exam("authz", "deny", 2, 0, 0),
    ]);
    expect(latest.get("mirror/subsets")).toMatchObject({ fraction: 1, at: at(1) });
    expect(latest.get("authz/deny")).toMatchObject({ fraction: 1, at: at(1) });
  });

  it("ignores tasks that are not in the catalog", () => {
    const latest = latestTaskResults(TASKS, [
      practice("gone", "t", 1, { c: "pass" }),
      practice("mirror", "nope", 1, { c: "pass" }),
    ]);
    expect(latest.size).toBe(0);
  });
});

describe("computeReadiness: weighted like the exam", () => {
  it("counts untried tasks as 0 and weighs tasks by points within a domain", () => {
    const latest = latestTaskResults(TASKS, [
      practice("mirror", "mirror", 1, { route: "pass", pct: "fail" }), // 3 of 4 pts
      practice("mirror", "subsets", 2, { dr: "pass" }), // 2 of 2 pts
    ]);
    const traffic = computeReadiness(TASKS, latest).domains.find((d) => d.domain === "traffic");
    // 5 of the domain's 10 points; 5 of the 6 points tried
    expect(traffic).toMatchObject({ weight: 35, tasks: 3, tried: 2, points: 10, earned: 5, percent: 50 });
    expect(traffic?.triedPercent).toBeCloseTo((100 * 5) / 6);
  });

  it("weighs each domain by its curriculum weight and leaves a domain without tasks out", () => {
    const latest = latestTaskResults(TASKS, [
      practice("mirror", "subsets", 1, { dr: "pass" }),
      practice("mirror", "mirror", 1, { route: "pass", pct: "pass" }),
      practice("timeouts", "retry", 1, { retries: "pass" }), // traffic 100%
      practice("authz", "deny", 1, { policy: "fail" }), // security 0%
      exam("hosts", "fix", 1, 1, 4), // troubleshooting 25%
    ]);
    const readiness = computeReadiness(TASKS, latest);
    expect(readiness.domains.map((d) => [d.domain, d.percent])).toEqual([
      ["install", null],
      ["traffic", 100],
      ["security", 0],
      ["troubleshooting", 25],
    ]);
    expect(readiness.uncovered).toEqual(["install"]);
    // (35·100 + 25·0 + 20·25) / (35 + 25 + 20): not the mean of the three (41.7), nor by task count
    expect(readiness.overall).toBeCloseTo(4000 / 80);
  });

  it("is 0 everywhere with no result, and null overall for an empty catalog", () => {
    const readiness = computeReadiness(TASKS, new Map());
    expect(readiness.overall).toBe(0);
    expect(readiness.domains.find((d) => d.domain === "security")).toMatchObject({ tried: 0, triedPercent: null });
    expect(computeReadiness([], new Map()).overall).toBeNull();
  });
});

describe("weakestCompetencies", () => {
  it("ranks tried competencies by their score, lists untried ones apart, with their scenarios weakest first", () => {
    const tasks = [...TASKS, task("shift", "split", "traffic", "Traffic shifting", 4, [{ id: "weights" }])];
    const latest = latestTaskResults(tasks, [
      practice("mirror", "subsets", 1, { dr: "pass" }), // Traffic shifting: mirror 2/2 tried
      practice("shift", "split", 1, { weights: "fail" }), // Traffic shifting: shift 0/4
      practice("authz", "deny", 1, { policy: "pass" }), // Authorization 100%: not weak
      exam("hosts", "fix", 1, 3, 4), // Configuration 75%
    ]);
    const { weakest, untried } = weakestCompetencies(tasks, latest);
    expect(weakest.map((c) => [c.competency, c.percent, c.tried, c.tasks])).toEqual([
      ["Traffic shifting", (100 * 2) / 6, 2, 3],
      ["Configuration", 75, 1, 1],
    ]);
    expect(weakest[0].readiness).toBeCloseTo(20); // 2 of 10 points
    expect(weakest[0].scenarios.map((s) => [s.id, s.percent])).toEqual([
      ["shift", 0],
      ["mirror", 100], // 1 of 2 tasks tried, that one passed
    ]);
    expect(untried.map((c) => c.competency)).toEqual(["Resilience"]);
  });

  it("breaks a tie by the domain's weight and keeps at most `limit`", () => {
    const latest = latestTaskResults(TASKS, [
      practice("hosts", "fix", 1, { fqdn: "fail" }),
      practice("authz", "deny", 1, { policy: "fail" }),
      practice("timeouts", "retry", 1, { retries: "fail" }),
    ]);
    expect(weakestCompetencies(TASKS, latest).weakest.map((c) => c.competency)).toEqual([
      "Resilience", // traffic 35
      "Authorization", // security 25
      "Configuration", // troubleshooting 20
    ]);
    expect(weakestCompetencies(TASKS, latest, 1).weakest).toHaveLength(1);
  });
});

it("catalogTasksOf takes each task's points and checks, with its scenario's domain and competency", () => {
  const tasks = catalogTasksOf([
    {
      id: "mirror",
      title: "Mirror",
      domain: "traffic",
      competency: "Traffic shifting",
      tasks: [
        {
          id: "a",
          points: 3,
          checks: [{ id: "x", use: "virtualservice.mirror", with: {}, weight: 2 }],
        },
      ] as never,
    },
  ]);
  expect(tasks).toEqual([
    {
      scenario: "mirror",
      scenarioTitle: "Mirror",
      task: "a",
      domain: "traffic",
      competency: "Traffic shifting",
      points: 3,
      checks: [{ id: "x", weight: 2 }],
    },
  ]);
});

function r(checkId: string, status: string) {
  return { checkId, status };
}

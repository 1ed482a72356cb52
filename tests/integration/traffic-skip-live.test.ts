// Traffic checks on the running lite cluster: it has no data plane, so they are skipped with the
// reason (no request is sent), the configuration checks of the same task still judge it, and the
// task earns its points on them alone.
import { beforeAll, describe, expect, it } from "vitest";
import { connectGrader, resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { applyManifests, setUpScenario } from "../../lib/cluster/scenario-objects";
import { scoreExam } from "../../lib/exams/score-exam";
import { gradeScenario } from "../../lib/scenarios/grade-scenario";
import { loadScenario } from "../../lib/scenarios/load-scenario";
import type { Scenario } from "../../lib/scenarios/schema";
import type { CheckResult } from "../../lib/verify/types";

const SKIPPED =
  "the lite cluster has no data plane: traffic is not sent; the configuration checks of this task judge it";

let scenario: Scenario;
let results: CheckResult[];

beforeAll(async () => {
  const loaded = loadScenario("traffic-shift");
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  scenario = loaded.scenario;
  const active = resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" });
  await setUpScenario(active, scenario, () => {});
  for (const task of scenario.tasks) {
    const applied = await applyManifests(active, { path: task.solution });
    if (!applied.ok) throw new Error(applied.message);
  }
  const grader = connectGrader(active);
  if (!grader.ok) throw new Error(grader.failure.message);
  expect(grader.value.prober).toBeUndefined();
  results = await gradeScenario(grader.value, scenario);
}, 180_000);

describe("traffic checks on lite", () => {
  it("are skipped with the reason, while the configuration checks of the task pass", () => {
    const byUse = Object.fromEntries(results.map((r) => [r.use, r]));
    expect(byUse["traffic.shares"]).toMatchObject({ status: "skipped", message: SKIPPED, hint: undefined });
    expect(byUse["virtualservice.routes"].status, byUse["virtualservice.routes"].message).toBe("pass");
    expect(byUse["virtualservice.subsets-defined"].status).toBe("pass");
  });

  it("leave the task its points: scored on the checks that ran", () => {
    const task = scenario.tasks[0];
    const checkOf = (r: CheckResult) => r.id.slice(task.id.length + 1);
    const score = scoreExam(
      {
        tasks: [
          {
            scenario: scenario.id,
            task: task.id,
            domain: scenario.domain,
            points: task.points,
            checks: results.map((r) => ({ id: checkOf(r) })),
          },
        ],
      },
      results.map((r) => ({
        scenario: scenario.id,
        task: task.id,
        check: checkOf(r),
        status: r.status,
        message: r.message,
      })),
    );
    expect(score).toMatchObject({ status: "graded" });
    expect(score.status === "graded" && score.tasks[0]).toMatchObject({ earned: task.points, possible: task.points });
  });
});

import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { conflicts } from "../scenarios/conflicts";
import { DOMAIN_IDS, DOMAINS } from "../scenarios/curriculum";
import { loadCatalog } from "../scenarios/load-catalog";
import type { Scenario } from "../scenarios/schema";
import { tasksAnsweredAtSetup } from "./answered-at-setup";
import { domainShares, SHARE_TOLERANCE } from "./domain-shares";
import { drawExam } from "./draw-exam";
import { examProblems } from "./lint-exam";
import { seededRandom } from "./seeded-random";

const catalog = loadCatalog();
const scenarios = catalog.flatMap((r) => (r.ok ? [r.scenario] : []));
const byId = new Map(scenarios.map((s) => [s.id, s]));

const answered = await tasksAnsweredAtSetup(scenarios);

describe("tasksAnsweredAtSetup", () => {
  it("finds a task that the solutions before it answer, and only such tasks", () => {
    expect(answered.has("egress-tls-origination/keep-https")).toBe(true);
    expect(answered.has("egress-tls-origination/originate")).toBe(false); // a first task never is
    expect(answered.size).toBeLessThan(scenarios.flatMap((s) => s.tasks).length / 4);
  });
});

describe("drawExam", () => {
  const seeds = Array.from({ length: 100 }, (_, i) => i * 7919 + 1);
  const draws = seeds.map((seed) => drawExam(scenarios, seed, answered));

  it.each(seeds.map((seed, i) => [seed, draws[i]] as const))("seed %i: a clean exam", (_seed, exam) => {
    expect([16, 17]).toContain(exam.tasks.length);
    const tasks = exam.tasks.map((ref) => {
      const scenario = byId.get(ref.scenario) as Scenario;
      const task = scenario.tasks.find((t) => t.id === ref.task);
      expect(task, `${ref.scenario}/${ref.task}`).toBeDefined();
      return { scenario, points: task?.points ?? 0 };
    });
    const shares = domainShares(tasks.map((t) => ({ domain: t.scenario.domain, points: t.points })));
    for (const d of DOMAIN_IDS) {
      expect(Math.abs(shares[d] - DOMAINS[d].weight), d).toBeLessThanOrEqual(SHARE_TOLERANCE);
    }
    for (const a of tasks) {
      for (const b of tasks) {
        if (a.scenario.id !== b.scenario.id) expect(conflicts(a.scenario, b.scenario)).toEqual([]);
      }
    }
    expect(new Set(exam.tasks.map((t) => `${t.scenario}/${t.task}`)).size).toBe(exam.tasks.length);
    expect(examProblems(exam.tasks, catalog)).toEqual([]);
    // a task its earlier tasks' solutions answer comes only with all of them
    for (const ref of exam.tasks.filter((t) => answered.has(`${t.scenario}/${t.task}`))) {
      const scenario = byId.get(ref.scenario) as Scenario;
      const before = scenario.tasks.slice(
        0,
        scenario.tasks.findIndex((t) => t.id === ref.task),
      );
      for (const t of before)
        expect(exam.tasks, `${ref.scenario}/${t.id}`).toContainEqual({ scenario: ref.scenario, task: t.id });
    }
  });

  it("draws the same exam for the same seed, and different exams for different seeds", () => {
    expect(drawExam(scenarios, 42, answered)).toEqual(drawExam(scenarios, 42, answered));
    const distinct = new Set(draws.map((e) => JSON.stringify(e.tasks)));
    expect(distinct.size).toBe(draws.length);
    expect(new Set(draws.map((e) => e.tasks.length))).toEqual(new Set([16, 17]));
  });

  it("keeps the tasks of one scenario together, in the scenario's order", () => {
    for (const exam of draws) {
      const ids = exam.tasks.map((t) => t.scenario);
      for (const id of new Set(ids)) {
        const at = ids.flatMap((s, i) => (s === id ? [i] : []));
        expect(at[at.length - 1] - at[0], id).toBe(at.length - 1);
        const order = exam.tasks
          .filter((t) => t.scenario === id)
          .map((t) => byId.get(id)?.tasks.findIndex((x) => x.id === t.task));
        expect(order).toEqual([...order].sort((x = 0, y = 0) => x - y));
      }
    }
  });

  it("is an exam of the contract's defaults", () => {
    expect(drawExam(scenarios, 7)).toMatchObject({ id: "random-7", minutes: 120, passPercent: 68 });
  });

  it("refuses a catalog that cannot make an exam", () => {
    const traffic = scenarios.filter((s) => s.domain === "traffic");
    expect(() => drawExam(traffic, 1)).toThrow(AppError);
  });
});

describe("seededRandom (mulberry32)", () => {
  it("gives the same numbers in [0, 1) for the same seed", () => {
    const [a, b] = [seededRandom(123), seededRandom(123)];
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(124)()).not.toBe(xs[0]);
  });
});

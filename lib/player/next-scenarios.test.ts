import { expect, it } from "vitest";
import type { ScenarioStatus } from "../progress/scenario-status";
import { nextScenarios } from "./next-scenarios";

const passed: ScenarioStatus = { state: "passed", tasksPassed: 1, lastActivity: new Date(0) };
const catalog = [
  { id: "t1", title: "T1", domain: "traffic" as const },
  { id: "t2", title: "T2", domain: "traffic" as const },
  { id: "s1", title: "S1", domain: "security" as const },
  { id: "x1", title: "X1", domain: "troubleshooting" as const },
  { id: "x2", title: "X2", domain: "troubleshooting" as const },
];

it("offers the next scenario of the domain and one of the weakest domain", () => {
  const next = nextScenarios(catalog[0], catalog, { t1: passed, s1: passed, x1: passed });
  expect(next.map((n) => n.id)).toEqual(["t2", "x2"]);
  expect(next[1].why).toMatch(/weakest domain: Troubleshooting \(50% passed\)/);
});

it("skips what is passed and breaks ties by the exam's weight", () => {
  const next = nextScenarios(catalog[0], catalog, { t2: passed });
  expect(next.map((n) => n.id)).toEqual(["s1"]);
  expect(nextScenarios(catalog[0], catalog.slice(0, 1), {})).toEqual([]);
});

import { expect, it } from "vitest";
import { domainTotals, overallTotals } from "./catalog-totals";
import type { CatalogCard } from "./catalog-view";

const card = (points: number, state?: "passed" | "started"): CatalogCard => ({
  id: `s${points}`,
  title: "",
  summary: "",
  competency: "",
  difficulty: 1,
  minutes: 5,
  points,
  tasks: 1,
  status: state ? { state, tasksPassed: state === "passed" ? 1 : 0, lastActivity: new Date(0) } : null,
  istio: ">=1.26",
});

it("sums scenarios passed and their points per domain and overall", () => {
  const traffic = { scenarios: [card(4, "passed"), card(6, "started"), card(2)] };
  const security = { scenarios: [card(5, "passed")] };
  expect(domainTotals(traffic)).toEqual({ passed: 1, scenarios: 3, earned: 4, points: 12 });
  expect(overallTotals([traffic, security, { scenarios: [] }])).toEqual({
    passed: 2,
    scenarios: 4,
    earned: 9,
    points: 17,
  });
});

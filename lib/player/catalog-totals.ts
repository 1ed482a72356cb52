// What the catalog sums up: scenarios passed and their points, per domain and overall.
import type { CatalogDomain } from "./catalog-view";

export interface Totals {
  passed: number;
  scenarios: number;
  /** points of the scenarios passed */
  earned: number;
  points: number;
}

export function domainTotals(domain: Pick<CatalogDomain, "scenarios">): Totals {
  const passed = domain.scenarios.filter((s) => s.status?.state === "passed");
  return {
    passed: passed.length,
    scenarios: domain.scenarios.length,
    earned: passed.reduce((n, s) => n + s.points, 0),
    points: domain.scenarios.reduce((n, s) => n + s.points, 0),
  };
}

export function overallTotals(domains: readonly Pick<CatalogDomain, "scenarios">[]): Totals {
  return domains.map(domainTotals).reduce(
    (a, b) => ({
      passed: a.passed + b.passed,
      scenarios: a.scenarios + b.scenarios,
      earned: a.earned + b.earned,
      points: a.points + b.points,
    }),
    { passed: 0, scenarios: 0, earned: 0, points: 0 },
  );
}

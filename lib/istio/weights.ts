// Route weights are relative: a destination gets weight / sum of weights. One destination gets
// everything whatever its weight; a zero-weight destination among several gets nothing.
import { arr, num, rec, str } from "./fields";
import { resolveHost } from "./hosts";

export interface WeightedDestination {
  /** index in the route list */
  index: number;
  /** the host as written */
  writtenHost: string;
  /** resolved relative to the VirtualService's namespace */
  host: string;
  subset?: string;
  port?: number;
  weight?: number;
  /** effective share, 0..100 */
  percent: number;
}

export interface Shares {
  destinations: WeightedDestination[];
  /** Why Istio would reject these weights, if it would. */
  problem?: string;
}

/** Shares of an HTTP/TCP/TLS route's `route` list. */
export function effectiveShares(route: unknown, namespace: string): Shares {
  const list = arr(route);
  const destinations = list.map((r, index): WeightedDestination => {
    const d = rec(rec(r).destination);
    const writtenHost = str(d.host) ?? "";
    return {
      index,
      writtenHost,
      host: resolveHost(writtenHost, namespace),
      subset: str(d.subset),
      port: num(rec(d.port).number),
      weight: num(rec(r).weight),
      percent: 0,
    };
  });
  if (destinations.length === 1) {
    destinations[0].percent = 100;
    return { destinations };
  }
  if (destinations.some((d) => (d.weight ?? 0) < 0)) return { destinations, problem: "a weight is negative" };
  const shares = sharesOf(destinations.map((d) => d.weight ?? 0));
  if (!shares) return { destinations, problem: "the weights add up to 0" };
  destinations.forEach((d, i) => {
    d.percent = shares[i];
  });
  return { destinations };
}

/** Percent per weight (weight / sum × 100), or undefined when the sum is 0. */
export function sharesOf(weights: readonly number[]): number[] | undefined {
  const total = weights.reduce((s, w) => s + Math.max(w, 0), 0);
  if (total <= 0) return undefined;
  return weights.map((w) => (Math.max(w, 0) / total) * 100);
}

/** Percentages are equal within half a point (33 == 33.33, 9:1 == 90:10). */
export function isSamePercent(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) < 0.5 + 1e-9;
}

export function formatPercent(p: number): string {
  return `${Math.round(p * 100) / 100}%`;
}

import { describe, expect, it } from "vitest";
import { effectiveShares, isSamePercent, sharesOf } from "./weights";

const route = (...ws: (number | undefined)[]) =>
  ws.map((weight, i) => ({ destination: { host: "reviews", subset: `v${i + 1}` }, weight }));

describe("effective shares", () => {
  it("gives one destination everything, with or without a weight", () => {
    expect(effectiveShares(route(undefined), "ns").destinations[0].percent).toBe(100);
    expect(effectiveShares(route(30), "ns").destinations[0].percent).toBe(100);
    expect(effectiveShares(route(0), "ns").destinations[0].percent).toBe(100);
  });
  it("treats weights as proportions: 9:1 is 90:10", () => {
    expect(effectiveShares(route(9, 1), "ns").destinations.map((d) => d.percent)).toEqual([90, 10]);
    expect(effectiveShares(route(90, 10), "ns").destinations.map((d) => d.percent)).toEqual([90, 10]);
    expect(effectiveShares(route(1, 1, 1), "ns").destinations.map((d) => Math.round(d.percent))).toEqual([33, 33, 33]);
  });
  it("gives a zero or missing weight nothing among several", () => {
    expect(effectiveShares(route(100, 0), "ns").destinations.map((d) => d.percent)).toEqual([100, 0]);
    expect(effectiveShares(route(100, undefined), "ns").destinations.map((d) => d.percent)).toEqual([100, 0]);
  });
  it("reports weights Istio rejects", () => {
    expect(effectiveShares(route(0, 0), "ns").problem).toMatch(/add up to 0/);
    expect(effectiveShares(route(undefined, undefined), "ns").problem).toMatch(/add up to 0/);
    expect(effectiveShares(route(-1, 2), "ns").problem).toMatch(/negative/);
  });
  it("resolves destination hosts in the VirtualService's namespace", () => {
    expect(effectiveShares(route(1), "shop").destinations[0].host).toBe("reviews.shop.svc.cluster.local");
  });
  it("survives malformed routes", () => {
    expect(effectiveShares("nope", "ns").destinations).toEqual([]);
    expect(effectiveShares([null, 3, { weight: "x" }], "ns").problem).toBeDefined();
  });
  it("shares and percent comparison", () => {
    expect(sharesOf([1, 3])).toEqual([25, 75]);
    expect(sharesOf([0, 0])).toBeUndefined();
    expect(isSamePercent(33.333, 33)).toBe(true);
    expect(isSamePercent(34, 33)).toBe(false);
  });
});

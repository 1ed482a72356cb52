import { describe, expect, it } from "vitest";
import { isSameQuantity, parseQuantity } from "./quantity";

describe("parseQuantity", () => {
  it("reads CPU and memory however they are written", () => {
    expect(parseQuantity("250m")).toBeCloseTo(0.25);
    expect(parseQuantity("0.25")).toBeCloseTo(0.25);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity("512Mi")).toBe(512 * 2 ** 20);
    expect(parseQuantity("1.5Gi")).toBe(1.5 * 2 ** 30);
    expect(parseQuantity("1e3")).toBe(1000);
    expect(parseQuantity("1k")).toBe(1000);
  });
  it("refuses what is not a quantity", () => {
    expect(parseQuantity("lots")).toBeUndefined();
    expect(parseQuantity("1GB")).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
    expect(parseQuantity("")).toBeUndefined();
  });
});

describe("isSameQuantity", () => {
  it("compares amounts, not spellings", () => {
    expect(isSameQuantity("1Gi", "1024Mi")).toBe(true);
    expect(isSameQuantity("100m", "0.1")).toBe(true);
    expect(isSameQuantity("1", 1)).toBe(true);
    expect(isSameQuantity("1G", "1Gi")).toBe(false);
    expect(isSameQuantity("500m", "5")).toBe(false);
    expect(isSameQuantity("x", "x")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { isSameDuration, parseDuration } from "./duration";

describe("durations", () => {
  it("parses Istio's duration forms", () => {
    expect(parseDuration("5s")).toBe(5000);
    expect(parseDuration("5.0s")).toBe(5000);
    expect(parseDuration("0.5s")).toBe(500);
    expect(parseDuration(".5s")).toBe(500);
    expect(parseDuration("5000ms")).toBe(5000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("250us")).toBe(0.25);
    expect(parseDuration("0")).toBe(0);
  });
  it("rejects what is not a duration", () => {
    for (const bad of ["", "5", "s", "5 s", "five seconds", "5sec", "-"]) expect(parseDuration(bad)).toBeUndefined();
    expect(parseDuration(5)).toBeUndefined();
    expect(parseDuration(null)).toBeUndefined();
  });
  it("compares by value: 5s = 5.0s = 5000ms", () => {
    expect(isSameDuration("5s", "5.0s")).toBe(true);
    expect(isSameDuration("5s", "5000ms")).toBe(true);
    expect(isSameDuration("1m", "60s")).toBe(true);
    expect(isSameDuration("5s", "6s")).toBe(false);
    expect(isSameDuration("5s", undefined)).toBe(false);
    expect(isSameDuration("x", "x")).toBe(false);
  });
});

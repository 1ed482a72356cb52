import { describe, expect, it } from "vitest";
import { comparableIstioVersion, isIstioRange, supportsIstioVersion, unsupportedIstioNote } from "./istio-version";

const LITE = "1.31-dev-eed52ebb66ad-Clean";

describe("comparableIstioVersion", () => {
  it("keeps a release and reads a development or pre-release build as its major.minor(.patch)", () => {
    expect(comparableIstioVersion("1.26.8")).toBe("1.26.8");
    expect(comparableIstioVersion("1.29.0")).toBe("1.29.0");
    expect(comparableIstioVersion(LITE)).toBe("1.31.0");
    expect(comparableIstioVersion("1.31-dev")).toBe("1.31.0");
    expect(comparableIstioVersion("1.27.0-beta.1")).toBe("1.27.0");
    expect(comparableIstioVersion("v1.26.8")).toBe("1.26.8");
  });

  it("reads nothing from what is not a version", () => {
    for (const garbage of ["", "unknown", "dev", "build9", "1", "x1.26.8", "latest"]) {
      expect(comparableIstioVersion(garbage), garbage).toBeUndefined();
    }
  });
});

describe("isIstioRange", () => {
  it("accepts semver ranges", () => {
    for (const range of [">=1.26", ">=1.26 <1.30", "1.26.x", "1.26", "~1.26.3", "1.26 - 1.28", ">=1.26 || >=2"]) {
      expect(isIstioRange(range), range).toBe(true);
    }
  });

  it("refuses what is not a range, and an empty one (semver reads it as every version)", () => {
    for (const range of ["", " ", "latest", "1.26+", ">=one.26", "istio 1.26"]) {
      expect(isIstioRange(range), range).toBe(false);
    }
  });
});

describe("supportsIstioVersion", () => {
  const cases: [range: string, version: string, expected: boolean][] = [
    [">=1.26", "1.26.8", true],
    [">=1.26", "1.29.0", true],
    [">=1.26", LITE, true],
    [">=1.26", "1.25.2", false],
    [">=1.26 <1.30", "1.26.8", true],
    [">=1.26 <1.30", "1.29.0", true],
    [">=1.26 <1.30", LITE, false],
    [">=1.26 <1.30", "1.30.0-alpha.1", false],
    ["1.26.x", "1.26.8", true],
    ["1.26.x", "1.29.0", false],
    ["1.26.x", LITE, false],
    [">=1.31", LITE, true],
    [">=1.31.1", LITE, false],
  ];
  it.each(cases)("%s with Istio %s: %s", (range, version, expected) => {
    expect(supportsIstioVersion(range, version)).toBe(expected);
  });

  it("says nothing (undefined) of a version or a range it cannot read", () => {
    expect(supportsIstioVersion(">=1.26", "unknown")).toBeUndefined();
    expect(supportsIstioVersion(">=1.26", "")).toBeUndefined();
    expect(supportsIstioVersion("latest", "1.26.8")).toBeUndefined();
  });
});

describe("unsupportedIstioNote", () => {
  it("says which Istio the scenario is not for, and why, in its title", () => {
    expect(unsupportedIstioNote(">=1.26 <1.30", LITE)).toEqual({
      label: "not for Istio 1.31",
      title: `Written for Istio >=1.26 <1.30; the running cluster has Istio ${LITE} (compared as 1.31.0). Its tasks and checks may not match this version.`,
    });
    expect(unsupportedIstioNote("1.26.x", "1.29.0")).toEqual({
      label: "not for Istio 1.29",
      title:
        "Written for Istio 1.26.x; the running cluster has Istio 1.29.0. Its tasks and checks may not match this version.",
    });
  });

  it("says nothing when the range includes the version, or when either cannot be read", () => {
    expect(unsupportedIstioNote(">=1.26", LITE)).toBeUndefined();
    expect(unsupportedIstioNote(">=1.26", "unknown")).toBeUndefined();
    expect(unsupportedIstioNote("latest", "1.26.8")).toBeUndefined();
  });
});

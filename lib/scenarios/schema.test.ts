import { describe, expect, it } from "vitest";
import { ZCheckRef, ZScenarioFile } from "./schema";

describe("a check's weight", () => {
  it("defaults to 1 and keeps a positive number", () => {
    expect(ZCheckRef.parse({ use: "virtualservice.mirror" }).weight).toBe(1);
    expect(ZCheckRef.parse({ use: "virtualservice.mirror", weight: 2.5 }).weight).toBe(2.5);
  });

  it("refuses zero, a negative number, infinity and text", () => {
    for (const weight of [0, -1, Number.POSITIVE_INFINITY, "2"]) {
      expect(ZCheckRef.safeParse({ use: "virtualservice.mirror", weight }).success, String(weight)).toBe(false);
    }
  });
});

describe("a scenario's istio range", () => {
  const scenario = {
    id: "x",
    title: "X",
    summary: "x",
    domain: "traffic",
    competency: "Traffic shifting",
    difficulty: 1,
    minutes: 5,
    namespaces: ["x"],
    tasks: [
      {
        id: "t",
        title: "T",
        text: "t.md",
        points: 1,
        solution: "solution",
        checks: [{ use: "virtualservice.mirror" }],
      },
    ],
  };

  it("defaults to >=1.26 and keeps a semver range", () => {
    expect(ZScenarioFile.parse(scenario).istio).toBe(">=1.26");
    for (const istio of [">=1.26 <1.30", "1.26.x", ">=1.27"]) {
      expect(ZScenarioFile.parse({ ...scenario, istio }).istio).toBe(istio);
    }
  });

  it("refuses what is not a semver range, saying what it expects", () => {
    for (const istio of ["latest", "1.26+", ""]) {
      const r = ZScenarioFile.safeParse({ ...scenario, istio });
      expect(r.success, istio).toBe(false);
      expect(r.error?.issues).toEqual([
        expect.objectContaining({ path: ["istio"], message: expect.stringContaining("expected a semver range") }),
      ]);
    }
  });
});

describe("scripts", () => {
  const scenario = {
    id: "x",
    title: "X",
    summary: "x",
    domain: "install",
    competency: "Install with istioctl or Helm",
    difficulty: 1,
    minutes: 5,
    namespaces: ["x"],
    setup: ["setup/install.sh"],
    tasks: [
      { id: "t", title: "T", text: "t.md", points: 1, solution: "solution/t.sh", checks: [{ use: "install.istiod" }] },
    ],
    mistakes: [{ path: "mistakes/m.sh", why: "w", fails: ["t/install.istiod"] }],
  };

  it("are allowed in a scenario that requires the bare cluster", () => {
    expect(ZScenarioFile.safeParse({ ...scenario, requires: ["bareCluster"] }).success).toBe(true);
  });

  it("are refused elsewhere, at each script's place, saying why", () => {
    const r = ZScenarioFile.safeParse(scenario);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path)).toEqual([
      ["setup", 0],
      ["tasks", 0, "solution"],
      ["mistakes", 0, "path"],
    ]);
    expect(r.error?.issues[0].message).toContain("only a scenario with requires: [bareCluster] runs scripts");
  });
});

import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { brokenCopy, copyScenarios } from "../../tests/unit/scenario-fixtures";
import { FileCluster } from "../cluster/file-cluster";
import { checkRequestsOf, gradeScenario } from "./grade-scenario";
import { lintScenario } from "./lint-scenario";
import { loadScenario } from "./load-scenario";

/** traffic-mirroring with a verify.ts exporting one check and one value that is not a check. */
function withVerifyModule(source: string): string {
  const root = copyScenarios([]);
  const dir = brokenCopy(root, "traffic-mirroring", "custom", (y) =>
    y.replace(
      "    checks:\n      - use: destinationrule.subsets",
      "    checks:\n      - fn: podCount\n        with: { min: 1 }\n      - fn: notACheck\n      - use: destinationrule.subsets",
    ),
  );
  writeFileSync(path.join(dir, "verify.ts"), source);
  return dir;
}

const VERIFY = `import { z } from "zod";
export const podCount = { name: "podCount", description: "d", params: z.object({ min: z.number() }), kinds: [],
  run: (p: { min: number }) => ({ status: p.min > 0 ? "fail" : "pass", message: "counted the pods" }) };
export const notACheck = 42;`;

describe("a scenario's verify.ts", () => {
  it("is accepted and refused alike by the lint and by Check", async () => {
    const dir = withVerifyModule(VERIFY);
    const lint = await lintScenario(dir);
    expect(lint.map((e) => e.message)).toEqual(["verify.ts exports no check 'notACheck'"]);

    const loaded = loadScenario(dir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const results = await gradeScenario(new FileCluster(), loaded.scenario, ["subsets"]);
    expect(results.map((r) => [r.id, r.status, r.message])).toEqual([
      ["subsets/podCount", "fail", "counted the pods"],
      ["subsets/notACheck", "error", "verify.ts exports no check 'notACheck'"],
      ["subsets/destinationrule.subsets", "fail", expect.any(String)],
    ]);
  });

  it("that does not load is an error for every check in Check and in the lint", async () => {
    const dir = withVerifyModule("export const = ;");
    const lint = await lintScenario(dir);
    expect(lint.some((e) => e.file.endsWith("verify.ts") && /cannot load/.test(e.message))).toBe(true);
    const loaded = loadScenario(dir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const results = await gradeScenario(new FileCluster(), loaded.scenario);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set(["error"]));
    expect(results[0].message).toMatch(/cannot load .*verify\.ts/);
  });
});

describe("checkRequestsOf", () => {
  it("gives the checks of the named tasks, ids prefixed with the task", () => {
    const loaded = loadScenario("traffic-mirroring");
    if (!loaded.ok) throw new Error("does not load");
    expect(checkRequestsOf(loaded.scenario, ["mirror"]).map((r) => `${r.taskId}/${r.id}`)).toEqual([
      "mirror/virtualservice.routes",
      "mirror/virtualservice.mirror",
      "mirror/served-by-v1",
      "mirror/copies-reach-v2",
    ]);
    expect(checkRequestsOf(loaded.scenario)).toHaveLength(5);
  });

  it("turns a cluster that could not be made into errors, never fails", async () => {
    const loaded = loadScenario("traffic-mirroring");
    if (!loaded.ok) throw new Error("does not load");
    const results = await gradeScenario(
      { ok: false, failure: { reason: "unreachable", message: "No cluster to check." } },
      loaded.scenario,
    );
    expect(results.map((r) => `${r.status}: ${r.message}`)).toEqual(results.map(() => "error: No cluster to check."));
  });
});

import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { brokenCopy, copyScenarios } from "./scenario-fixtures";

function lint(...dirs: string[]) {
  const r = spawnSync("npx", ["tsx", "scripts/scenarios-lint.ts", ...dirs], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

// Each test spawns the CLI through npx tsx: seconds, not milliseconds, on a busy machine.
describe("npm run scenarios:lint", { timeout: 30_000 }, () => {
  it("passes on the repository's scenarios", () => {
    const r = lint();
    expect(r.out).toContain("✓ scenarios/traffic-mirroring");
    expect(r.status, r.out).toBe(0);
  });

  it("exits 1 with file:line:column for a broken field", () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "analyze-short-host", "broken", (y) => y.replace("minutes: 8", "minutes: -8"));
    const r = lint(dir);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/scenario\.yaml:7:1: minutes: .*>0|scenario\.yaml:7:1: minutes: Too small/);
  });

  it("finds what only the lint sees: unknown checks, bad params, missing files and mistakes", () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "broken", (y) =>
      y
        .replace("use: destinationrule.subsets", "use: destinationrule.subzets")
        .replace("solution: solution/virtualservice.yaml", "solution: solution/nothing.yaml")
        .replace(
          "fails: [mirror/virtualservice.mirror]\n  - path: mistakes/split",
          "fails: [mirror/nope]\n  - path: mistakes/split",
        ),
    );
    rmSync(path.join(dir, "mistakes", "mirror-everything.yaml"));
    const r = lint(dir);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/scenario\.yaml:\d+:\d+: unknown check 'destinationrule\.subzets'/);
    expect(r.out).toMatch(/solution not found: solution\/nothing\.yaml/);
    expect(r.out).toMatch(/no check 'mirror\/nope'/);
    expect(r.out).toMatch(/file not found: mistakes\/mirror-everything\.yaml/);
  });

  it("shows the offending line of a YAML error", () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "analyze-short-host", "bad-yaml", (y) => y.replace("minutes: 8", "minutes: [8"));
    const r = lint(dir);
    expect(r.status).toBe(1);
    // the parser notices the open [ on the next line: that line is shown, a caret under the column
    expect(r.out).toMatch(/scenario\.yaml:8:1: Flow sequence .*\n {4}\| istio: ">=1\.2\d"\n {4}\| \^/);
  });
});

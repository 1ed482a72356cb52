import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../verify/types";
import { loadScenario } from "./load-scenario";
import { judgeStage, proveFromFiles, stageManifests, stageStep } from "./prove-scenario";

function scenario(id: string) {
  const r = loadScenario(id);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

describe("the proof", () => {
  it("expresses an omission: a mistake over the setup leaves out what the solution has", async () => {
    const s = scenario("traffic-mirroring");
    const forgot = s.mistakes.find((m) => m.path.endsWith("forgot-destinationrule.yaml"));
    if (!forgot) throw new Error("traffic-mirroring has no omission mistake");
    expect(forgot.base).toBe("setup");
    const files = stageManifests(s, { kind: "mistake", mistake: forgot }).map((m) => path.relative(s.dir, m.path));
    expect(files).not.toContain("solution/destinationrule.yaml");
    expect(files).toContain("mistakes/forgot-destinationrule.yaml");

    const report = (await proveFromFiles(s)).find((r) => r.stage === "mistake mistakes/forgot-destinationrule.yaml");
    expect(report?.problems).toEqual([]);
    expect(report?.results.find((r) => r.id === "subsets/destinationrule.subsets")?.status).toBe("fail");
  });

  it("leaves a live-only mistake unjudged from files, and says so", async () => {
    const s = scenario("injection-before-label");
    const reports = await proveFromFiles(s);
    const labelOnly = reports.find((r) => r.stage === "mistake mistakes/label-only.yaml");
    expect(labelOnly?.notJudged).toMatch(/live cluster/);
    expect(labelOnly?.problems).toEqual([]);
    // judged from files, the same manifests would pass: the pods that predate the label are not in them
    const judged = await proveFromFiles({ ...s, mistakes: s.mistakes.map((m) => ({ ...m, live: false })) });
    expect(judged.find((r) => r.stage === labelOnly?.stage)?.problems.join("\n")).toMatch(/should fail but is pass/);
  });

  it("applies each alternative alone over the setup, task by task", () => {
    const s = scenario("traffic-mirroring");
    const [alternative] = s.alternatives;
    const files = stageManifests(s, { kind: "alternative", alternative }).map((m) => path.relative(s.dir, m.path));
    expect(files).toEqual([
      "setup/namespace.yaml",
      "setup/access-log.yaml",
      path.relative(s.dir, s.setup[2].path), // the helloworld sample
      "solution-alt/destinationrule.yaml",
      "solution-alt/virtualservice.yaml",
    ]);
  });

  it("moves between live stages by applying only what changes", () => {
    const s = scenario("traffic-mirroring");
    const rel = (list: { path: string }[]) => list.map((m) => path.relative(s.dir, m.path));
    const solved = stageManifests(s, { kind: "solution" });
    const [wrongSubset, split] = s.mistakes;
    const first = stageManifests(s, { kind: "mistake", mistake: wrongSubset });
    // over the solution: only the mistake is applied
    expect(rel(stageStep(solved, first).apply)).toEqual(["mistakes/mirror-wrong-subset.yaml"]);
    // from one mistake to the next: what the first changed (both solution files) is applied again first
    const next = stageStep(first, stageManifests(s, { kind: "mistake", mistake: split }));
    expect(rel(next.removed)).toEqual(["mistakes/mirror-wrong-subset.yaml"]);
    expect(rel(next.apply)).toEqual([
      "solution/destinationrule.yaml",
      "solution/virtualservice.yaml",
      "mistakes/split-instead-of-mirror.yaml",
    ]);
    // to an alternative: the solution's files go, the alternative's come; the setup stays as it is
    const alternative = stageStep(solved, stageManifests(s, { kind: "alternative", alternative: s.alternatives[0] }));
    expect(rel(alternative.removed)).toEqual(["solution/destinationrule.yaml", "solution/virtualservice.yaml"]);
    expect(rel(alternative.apply)).toEqual(["solution-alt/destinationrule.yaml", "solution-alt/virtualservice.yaml"]);
  });

  it("puts back what a delete marker deleted when the next stage does not delete it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ica-delete-"));
    const write = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return { path: path.join(dir, name) };
    };
    const vs = (name: string, annotations = "") =>
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: shop\n${annotations}spec:\n  hosts: [reviews]\n`;
    const setup = write("setup.yaml", `${vs("old")}---\n${vs("older")}`);
    const merged = write(
      "merged.yaml",
      `${vs("merged")}---\n${vs("old", '  annotations: { ica-practice/delete: "true" }\n')}`,
    );
    const other = write("other.yaml", vs("merged"));
    expect(stageStep([setup, merged], [setup, other])).toEqual({ removed: [merged], apply: [setup, other] });
    expect(stageStep([setup], [setup, merged])).toEqual({ removed: [], apply: [merged] });
  });

  it("fails a mistake that passes a check it claims to fail", async () => {
    const s = scenario("traffic-mirroring");
    const lying = { ...s, mistakes: [{ ...s.mistakes[0], fails: ["subsets/destinationrule.subsets"] }] };
    const reports = await proveFromFiles(lying);
    expect(reports.at(-1)?.problems).toEqual([
      expect.stringMatching(/^subsets\/destinationrule.subsets should fail but is pass/),
    ]);
  });
});

describe("judgeStage and skipped checks", () => {
  const s = scenario("traffic-shift");
  const result = (id: string, status: CheckResult["status"]): CheckResult => ({
    id,
    use: id.split("/")[1],
    status,
    message: `${status} for a reason`,
    evidence: [],
    durationMs: 0,
  });

  it("does not judge a check skipped at setup: neither a problem nor a pass", () => {
    const report = judgeStage(s, { kind: "setup" }, [result("shift/traffic.shares", "skipped")]);
    expect(report.problems).toEqual([]);
  });

  it("stays strict otherwise: a pass after setup, an error, a mistake's check skipped", () => {
    const setup = judgeStage(s, { kind: "setup" }, [
      result("shift/virtualservice.routes", "pass"),
      result("shift/virtualservice.subsets-defined", "error"),
    ]);
    expect(setup.problems).toEqual([
      "shift/virtualservice.routes already passes after setup (fix the check or list it in preSatisfied): pass for a reason",
      "shift/virtualservice.subsets-defined errors after setup: error for a reason",
    ]);
    const mistake = { kind: "mistake" as const, mistake: { ...s.mistakes[0], fails: ["shift/traffic.shares"] } };
    expect(judgeStage(s, mistake, [result("shift/traffic.shares", "skipped")]).problems).toEqual([
      "shift/traffic.shares should fail but is skipped: skipped for a reason",
    ]);
    expect(judgeStage(s, { kind: "solution" }, [result("shift/virtualservice.routes", "fail")]).problems).toHaveLength(
      1,
    );
  });
});

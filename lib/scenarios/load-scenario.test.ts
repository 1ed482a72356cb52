import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { brokenCopy, copyScenarios } from "../../tests/unit/scenario-fixtures";
import { loadCatalog } from "./load-catalog";
import { loadScenario } from "./load-scenario";

describe("loadScenario", () => {
  it("loads the example scenarios with vars substituted into text and checks", () => {
    const r = loadScenario("traffic-mirroring");
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const mirror = r.scenario.tasks.find((t) => t.id === "mirror")!;
    expect(mirror.markdown).toContain("namespace `mirror-lab`");
    expect(mirror.markdown).not.toContain("{{");
    const check = mirror.checks.find((c) => c.id === "virtualservice.mirror")!;
    expect(check.with).toEqual({ host: "helloworld", namespace: "mirror-lab", subset: "v2", percent: 50 });
    expect(r.scenario.totalPoints).toBe(6);
    expect(r.scenario.setup).toContainEqual(expect.objectContaining({ sample: "helloworld", namespace: "mirror-lab" }));
  });

  it("points at file:line:column of a field with the wrong type", () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "broken", (y) => y.replace("difficulty: 2", "difficulty: hard"));
    const r = loadScenario(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: path.join(dir, "scenario.yaml"), line: 6, column: 1 });
    expect(r.errors[0].message).toMatch(/difficulty: .*number/);
  });

  it("points at the line of an istio: that is not a semver range", () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "broken", (y) => y.replace('istio: ">=1.26"', "istio: latest"));
    const r = loadScenario(dir);
    if (r.ok) throw new Error("expected errors");
    expect(r.errors).toEqual([
      expect.objectContaining({
        file: path.join(dir, "scenario.yaml"),
        line: 8,
        message: expect.stringMatching(/^istio: expected a semver range of Istio versions like ">=1.26"/),
      }),
    ]);
  });

  it("names unknown fields, bad enum values and missing vars", () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "broken", (y) =>
      y
        .replace("domain: traffic", "domain: trafic")
        .replace("minutes: 10", "minutes: 10\ncolour: blue")
        .replace('subset: v2, percent: "{{percent}}"', 'subset: "{{nope}}", percent: "{{percent}}"'),
    );
    const r = loadScenario(dir);
    if (r.ok) throw new Error("expected errors");
    const messages = r.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^4:1 domain: expected one of "install"/),
        expect.stringMatching(/unknown field 'colour'/),
      ]),
    );
  });

  it("substitutes vars before validating, so a var in a title is text and one in check params keeps its type", () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "year-title", (y) =>
      y
        .replace("title: Mirror live traffic to a new version", 'title: "{{year}}"')
        .replace("  percent: 50", "  percent: 50\n  year: 2026"),
    );
    const r = loadScenario(dir);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.scenario.title).toBe("2026");
    expect(typeof r.scenario.title).toBe("string");
    const mirror = r.scenario.tasks.find((t) => t.id === "mirror")!;
    expect(mirror.checks.find((c) => c.id === "virtualservice.mirror")?.with.percent).toBe(50);
  });

  it("reports an undefined var in scenario.yaml at the line of the string that holds it", () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "broken", (y) =>
      y.replace("title: Mirror live traffic to a new version", "title: Mirror {{what}}"),
    );
    const r = loadScenario(dir);
    if (r.ok) throw new Error("expected errors");
    expect(r.errors).toEqual([
      { file: path.join(dir, "scenario.yaml"), line: 2, column: 1, message: "var 'what' is not defined in vars" },
    ]);
  });

  it("reports an undefined var in Markdown at its line in the .md file", () => {
    const root = copyScenarios(["analyze-short-host"]);
    const md = path.join(root, "analyze-short-host", "intro.md");
    writeFileSync(md, "# Title\n\nSee {{ missing }} here.\n");
    const r = loadScenario(path.join(root, "analyze-short-host"));
    if (r.ok) throw new Error("expected errors");
    expect(r.errors).toEqual([{ file: md, line: 3, column: 5, message: "var 'missing' is not defined in vars" }]);
  });
});

describe("loadCatalog", () => {
  it("lists a broken scenario with its errors and still loads the others", () => {
    const root = copyScenarios(["traffic-mirroring", "analyze-short-host"]);
    brokenCopy(root, "traffic-mirroring", "broken-one", (y) => y.replace("points: 4", "points: four"));
    const results = loadCatalog(root);
    expect(results.map((r) => [r.ok ? r.scenario.id : r.id, r.ok])).toEqual([
      ["analyze-short-host", true],
      ["broken-one", false],
      ["traffic-mirroring", true],
    ]);
  });
});

describe("ICA_SCENARIOS_DIR with several folders", () => {
  it("previews an author's folder together with the built-in catalog; the first folder wins an id", () => {
    const author = copyScenarios([]);
    brokenCopy(author, "analyze-short-host", "my-draft", (y) => y.replace("  ns: shop", "  ns: my-draft"));
    brokenCopy(author, "traffic-mirroring", "traffic-mirroring", (y) => y.replace("minutes: 10", "minutes: 99"));
    const saved = process.env.ICA_SCENARIOS_DIR;
    process.env.ICA_SCENARIOS_DIR = [path.resolve("scenarios"), author].join(path.delimiter);
    try {
      const ids = loadCatalog().map((r) => (r.ok ? r.scenario.id : r.id));
      expect(ids).toEqual(expect.arrayContaining(["analyze-short-host", "my-draft", "traffic-mirroring"]));
      const draft = loadScenario("my-draft");
      expect(draft.ok && draft.scenario.dir).toBe(path.join(author, "my-draft"));
      const builtIn = loadScenario("traffic-mirroring");
      expect(builtIn.ok && builtIn.scenario.minutes).toBe(10);
    } finally {
      if (saved === undefined) delete process.env.ICA_SCENARIOS_DIR;
      else process.env.ICA_SCENARIOS_DIR = saved;
    }
  });
});

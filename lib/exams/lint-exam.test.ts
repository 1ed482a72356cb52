import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../scenarios/load-catalog";
import { domainShares, SHARE_TOLERANCE } from "./domain-shares";
import { lintExam, lintExamText } from "./lint-exam";
import { examsDir, listExamFiles, loadExam } from "./load-exam";
import { resolveExamTasks } from "./resolve-exam";

const catalog = loadCatalog();
const MOCK_1 = path.join(examsDir(), "mock-1.yaml");
const mock1 = readFileSync(MOCK_1, "utf8");

/** mock-1's text with one task replaced, and the 1-based line and column where the new one starts. */
function planted(from: string, to: string): { text: string; line: number; column: number } {
  expect(mock1).toContain(from);
  const text = mock1.replace(from, to);
  const before = mock1.slice(0, mock1.indexOf(from)).split("\n");
  return { text, line: before.length, column: before[before.length - 1].length + 1 };
}

const lint = (text: string) => lintExamText(MOCK_1, text, catalog);

describe("the exam files", () => {
  const files = listExamFiles();

  it("include the two fixed mock exams", () => {
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(["mock-1.yaml", "mock-2.yaml"]));
  });

  describe.each(files.map((f) => [path.basename(f), f] as const))("%s", (_name, file) => {
    it("lints clean", () => {
      expect(lintExam(file, catalog)).toEqual([]);
    });

    it("has 16 or 17 tasks with domain shares within 5 points of the weights", () => {
      const loaded = loadExam(file);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const { tasks, problems } = resolveExamTasks(loaded.exam.tasks, catalog);
      expect(problems).toEqual([]);
      expect([16, 17]).toContain(tasks.length);
      const shares = domainShares(tasks.map((t) => ({ domain: t.scenario.domain, points: t.task.points })));
      for (const [domain, weight] of Object.entries({ install: 20, traffic: 35, security: 25, troubleshooting: 20 })) {
        expect(Math.abs(shares[domain as keyof typeof shares] - weight), domain).toBeLessThanOrEqual(SHARE_TOLERANCE);
      }
    });
  });

  it("mock-1 and mock-2 share no scenario", () => {
    const scenarios = (id: string) => {
      const loaded = loadExam(id);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      return new Set(loaded.exam.tasks.map((t) => t.scenario));
    };
    const [one, two] = [scenarios("mock-1"), scenarios("mock-2")];
    expect([...one].filter((s) => two.has(s))).toEqual([]);
  });
});

describe("lintExam", () => {
  it("passes mock-1 as it is", () => {
    expect(lint(mock1)).toEqual([]);
  });

  it("finds a task its scenario does not have, at its line", () => {
    const p = planted("{ scenario: traffic-shift, task: shift }", "{ scenario: traffic-shift, task: shiftt }");
    expect(lint(p.text)).toEqual([
      {
        file: MOCK_1,
        line: p.line,
        column: p.column + "{ scenario: traffic-shift, ".length,
        message: "scenario 'traffic-shift' has no task 'shiftt' (its tasks: shift)",
      },
    ]);
  });

  it("finds a scenario the catalog does not have, at its line", () => {
    const p = planted("{ scenario: traffic-shift, task: shift }", "{ scenario: traffic-shifts, task: shift }");
    expect(lint(p.text)).toEqual([
      {
        file: MOCK_1,
        line: p.line,
        column: p.column + "{ ".length,
        message: "no scenario 'traffic-shifts' in the catalog",
      },
    ]);
  });

  it("finds a task listed twice, at the second", () => {
    // reserved-ports/sidecar is troubleshooting and 3 points, like port-naming/orders: shares stay
    const p = planted("{ scenario: port-naming, task: orders }", "{ scenario: reserved-ports, task: sidecar }");
    expect(lint(p.text)).toEqual([
      expect.objectContaining({
        line: p.line,
        message: "task reserved-ports/sidecar is listed twice (also task 12)",
      }),
    ]);
  });

  it("finds domain shares more than 5 points from the weights", () => {
    // two traffic tasks (9 points) become two security tasks (8): traffic 9/52, security 22/52
    const once = planted("{ scenario: traffic-shift, task: shift }", "{ scenario: edge-tls, task: https }");
    const text = once.text.replace(
      "{ scenario: fault-injection, task: faults }",
      "{ scenario: edge-tls, task: mutual }",
    );
    const tasksLine = mock1.split("\n").indexOf("tasks:") + 1;
    expect(lint(text)).toEqual([
      expect.objectContaining({
        line: tasksLine,
        message: expect.stringMatching(
          /^domain traffic has 17\.3% of the points, more than 5 points from its weight 35% \(shares: install 21\.2% \(20\), traffic 17\.3% \(35\), security 42\.3% \(25\), troubleshooting 19\.2% \(20\)\)$/,
        ),
      }),
      expect.objectContaining({
        line: tasksLine,
        message: expect.stringMatching(/^domain security has 42\.3% of the points/),
      }),
    ]);
  });

  it("finds two scenarios that cannot be set up side by side, at the later task", () => {
    // mesh-automtls-outbound/registry-only is install and 3 points, like injection-opt-out/opt-out
    const p = planted(
      "{ scenario: injection-opt-out, task: opt-out }",
      "{ scenario: mesh-automtls-outbound, task: registry-only }",
    );
    expect(lint(p.text)).toEqual([
      expect.objectContaining({
        line: p.line,
        message:
          "scenario 'mesh-automtls-outbound' cannot be set up beside 'egress-registry-only' (task 7): both declare mesh object Sidecar istio-system/default; both declare mesh config key outboundTrafficPolicy.mode",
      }),
    ]);
  });

  it("allows two tasks of one scenario (they share its setup)", () => {
    expect(mock1).toContain("{ scenario: egress-registry-only, task: lockdown }");
    expect(mock1).toContain("{ scenario: egress-registry-only, task: register }");
    expect(lint(mock1)).toEqual([]);
  });

  it("finds a task count outside 15 to 20", () => {
    const lines = mock1.split("\n");
    const short = lines.filter((l) => !/scenario: (injection-namespace|authz-deny-allow)/.test(l)).join("\n");
    expect(lint(short).map((e) => e.message)).toContain("12 tasks: an exam has 15 to 20, as the real ICA");
  });

  it("holds the contract: id equal to the file name, known fields, defaults", () => {
    expect(lint(mock1.replace("id: mock-1", "id: mock-one"))).toEqual([
      expect.objectContaining({ line: 4, message: "id 'mock-one' must equal the file name 'mock-1'" }),
    ]);
    expect(lint(mock1.replace("minutes: 120", "minutes: 120\nshuffle: true"))).toEqual([
      expect.objectContaining({ line: 7, column: 1, message: "unknown field 'shuffle'" }),
    ]);
    expect(lint(mock1.replace("task: shift }", "}"))).toEqual([
      expect.objectContaining({ line: mock1.split("\n").findIndex((l) => l.includes("traffic-shift")) + 1 }),
    ]);
    const loaded = loadExam(MOCK_1);
    expect(loaded.ok && [loaded.exam.minutes, loaded.exam.passPercent]).toEqual([120, 68]);
  });
});

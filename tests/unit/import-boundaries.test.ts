// The may-import table of docs/architecture.md, as biome.json enforces it: each rule is shown
// to fire by planting a file with a wrong-way import where the rule applies, and shown not to
// fire on a file beside it that imports what is allowed (so no rule passes vacuously).
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = process.cwd();
const BIOME = path.join(ROOT, "node_modules/.bin/biome");

// The messages biome.json gives each rule.
const FRAMEWORK = "lib/ has no framework imports";
const KUBE = "only lib/cluster/ imports @kubernetes/client-node";
const PRISMA = "app/ and components/ use Prisma only through lib/progress/";
const CLUSTER_UP =
  "lib/cluster/ imports nothing from lib/verify, lib/scenarios, lib/progress, lib/player, lib/terminal, lib/exams";
const ISTIO_UP = "lib/istio/ imports only lib/cluster types";

interface Plant {
  /** folder the file is planted in, relative to the repository */
  dir: string;
  ext?: ".ts" | ".tsx";
  imports: string[];
  /** the rule's message, or null when the file must pass */
  message: string | null;
  /** import the module for its types only (the rules must catch those too) */
  typeOnly?: boolean;
}

const planted: string[] = [];
let counter = 0;

function plant(p: Plant): string {
  const name = `__planted_boundary_test_${process.pid}_${counter++}__${p.ext ?? ".ts"}`;
  const file = path.join(p.dir, name);
  const lines = p.imports.map((spec, i) =>
    p.typeOnly ? `import type * as m${i} from "${spec}";` : `import * as m${i} from "${spec}";`,
  );
  const uses = p.imports.map((_, i) =>
    p.typeOnly ? `export type T${i} = typeof m${i};` : `export const v${i} = m${i};`,
  );
  mkdirSync(path.join(ROOT, p.dir), { recursive: true });
  writeFileSync(path.join(ROOT, file), `${[...lines, ...uses].join("\n")}\n`);
  planted.push(file);
  return file;
}

async function lint(files: string[]): Promise<{ code: number; output: string }> {
  try {
    const r = await run(BIOME, ["lint", "--colors=off", "--max-diagnostics=none", ...files], { cwd: ROOT });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

interface Diagnostic {
  file: string;
  category: string;
  message: string;
}

/** Biome's text report as a list: each diagnostic starts with `file:line:col category ━━━` and then `× message`. */
function diagnosticsOf(output: string): Diagnostic[] {
  const header = /^(\S+):\d+:\d+ (\S+)/;
  const found: Diagnostic[] = [];
  for (const line of output.split("\n")) {
    const h = header.exec(line);
    if (h && line.includes("━")) found.push({ file: h[1], category: h[2], message: "" });
    else if (found.length > 0 && found[found.length - 1].message === "" && line.trim().startsWith("×")) {
      found[found.length - 1].message = line.trim().slice(1).trim();
    }
  }
  return found;
}

function removePlanted(): void {
  for (const file of planted.splice(0)) rmSync(path.join(ROOT, file), { force: true });
}

const UPPER_LAYERS = [
  "verify/types",
  "scenarios/schema",
  "progress/db",
  "player/check-view",
  "terminal/tokens",
  "exams/draw-exam",
];

const cases: [string, Plant][] = [
  // lib/cluster/ is the bottom layer
  [
    "lib/cluster/ importing the layers above it",
    { dir: "lib/cluster", imports: UPPER_LAYERS.map((m) => `../${m}`), message: CLUSTER_UP },
  ],
  [
    "lib/cluster/ importing lib/verify types only",
    { dir: "lib/cluster", imports: ["../verify/types"], typeOnly: true, message: CLUSTER_UP },
  ],
  [
    "lib/cluster/drivers/ importing two levels up",
    { dir: "lib/cluster/drivers", imports: UPPER_LAYERS.map((m) => `../../${m}`), message: CLUSTER_UP },
  ],
  [
    "lib/cluster/ importing a layer folder's index and through the @/ alias",
    { dir: "lib/cluster", imports: ["../verify", "@/lib/scenarios/schema"], message: CLUSTER_UP },
  ],
  ["lib/cluster/ importing next", { dir: "lib/cluster", imports: ["next/server"], message: FRAMEWORK }],
  // only lib/cluster/ talks to Kubernetes
  ["lib/verify/ importing client-node", { dir: "lib/verify", imports: ["@kubernetes/client-node"], message: KUBE }],
  ["lib/ itself importing client-node", { dir: "lib", imports: ["@kubernetes/client-node"], message: KUBE }],
  [
    "lib/player/ importing a client-node subpath",
    { dir: "lib/player", imports: ["@kubernetes/client-node/dist/config"], message: KUBE },
  ],
  ["lib/istio/ importing client-node", { dir: "lib/istio", imports: ["@kubernetes/client-node"], message: KUBE }],
  [
    "app/ importing client-node",
    { dir: "app", ext: ".tsx", imports: ["@kubernetes/client-node"], typeOnly: true, message: KUBE },
  ],
  [
    "components/ importing client-node",
    { dir: "components", ext: ".tsx", imports: ["@kubernetes/client-node"], message: KUBE },
  ],
  ["scripts/ importing client-node", { dir: "scripts", imports: ["@kubernetes/client-node"], message: KUBE }],
  // lib/istio/ reads lib/cluster types only
  [
    "lib/istio/ importing the layers above it",
    { dir: "lib/istio", imports: UPPER_LAYERS.map((m) => `../${m}`), message: ISTIO_UP },
  ],
  ["lib/istio/ importing react", { dir: "lib/istio", imports: ["react"], message: FRAMEWORK }],
  // no Prisma client under app/ and components/
  [
    "app/ importing @prisma/client",
    { dir: "app/api/scenarios", imports: ["@prisma/client", "@prisma/client/runtime/client"], message: PRISMA },
  ],
  [
    "app/ importing the generated clients",
    {
      dir: "app",
      ext: ".tsx",
      imports: ["../lib/generated/prisma/client", "@/lib/generated/prisma-pg/client", "@/lib/generated/prisma"],
      message: PRISMA,
    },
  ],
  [
    "components/ importing a generated client",
    { dir: "components", ext: ".tsx", imports: ["../lib/generated/prisma/models"], typeOnly: true, message: PRISMA },
  ],
  // what the table allows passes
  [
    "lib/cluster/ importing client-node and its own modules",
    {
      dir: "lib/cluster",
      imports: ["@kubernetes/client-node", "./types", "./drivers/types", "../paths"],
      message: null,
    },
  ],
  [
    "lib/cluster/drivers/ importing lib/cluster",
    { dir: "lib/cluster/drivers", imports: ["../types", "../kinds", "./types"], message: null },
  ],
  [
    "lib/istio/ importing lib/cluster types",
    { dir: "lib/istio", imports: ["../cluster/types", "./hosts"], message: null },
  ],
  [
    "lib/verify/ importing lib/istio and lib/cluster",
    { dir: "lib/verify", imports: ["../istio/hosts", "../cluster/types", "./types"], message: null },
  ],
  [
    "lib/player/ importing every layer",
    { dir: "lib/player", imports: UPPER_LAYERS.map((m) => `../${m}`), message: null },
  ],
  [
    "app/ importing lib/player and lib/progress",
    {
      dir: "app",
      ext: ".tsx",
      imports: ["@/lib/player/check-view", "@/lib/progress/scenario-status", "next/navigation", "react"],
      message: null,
    },
  ],
  [
    "components/ importing lib/ types",
    { dir: "components", ext: ".tsx", imports: ["@/lib/progress/scenario-status", "react"], message: null },
  ],
  ["scripts/ importing lib/progress", { dir: "scripts", imports: ["../lib/progress/migrate"], message: null }],
];

describe("biome.json holds the may-import table", () => {
  let files: string[] = [];
  let wrong: { code: number; output: string };
  let right: { code: number; output: string };
  // Plant every file, lint the wrong ones and the right ones (two biome runs: its start
  // dominates), and take the files away at once: they live in the tree for about a second.
  beforeAll(async () => {
    try {
      files = cases.map(([, p]) => plant(p));
      const pick = (isWrong: boolean) => files.filter((_, i) => (cases[i][1].message !== null) === isWrong);
      [wrong, right] = await Promise.all([lint(pick(true)), lint(pick(false))]);
    } finally {
      removePlanted();
    }
  });
  afterAll(removePlanted);

  it("biome fails on the wrong-way imports and passes on the allowed ones", () => {
    expect(wrong.code, wrong.output).not.toBe(0);
    expect(right.code, right.output).toBe(0);
  });

  it.each(cases.map(([name, p], i) => ({ name, p, i })))("$name", ({ p, i }) => {
    const file = files[i];
    const report = p.message === null ? right : wrong;
    const own = diagnosticsOf(report.output).filter((d) => d.file === file);
    if (p.message === null) {
      expect(own, report.output).toEqual([]);
    } else {
      // every wrong-way import is reported once, with this rule's message
      expect(own.map((d) => d.category)).toEqual(p.imports.map(() => "lint/style/noRestrictedImports"));
      for (const d of own) expect(d.message).toContain(p.message);
    }
  });

  it("server.ts has the same client-node restriction as scripts/", () => {
    const config = JSON.parse(readFileSync(path.join(ROOT, "biome.json"), "utf8"));
    const override = config.overrides.find((o: { includes: string[] }) => o.includes.includes("server.ts"));
    expect(override?.includes).toContain("scripts/**");
    expect(JSON.stringify(override)).toContain(KUBE);
  });
});

// The one content contract: what a scenario folder holds. Everything loads scenarios through
// these schemas (lib/scenarios/load-scenario.ts), the app, the CLI and the lint alike.
import { z } from "zod";
import { DOMAIN_IDS, DOMAINS } from "./curriculum";
import { isIstioRange } from "./istio-version";

const ZId = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "expected a lowercase id like 'traffic-mirroring'");

/** A scenario's id (its folder name): parsed at every edge (routes, views, terminal tokens, CLIs). */
export const ZScenarioId = ZId;
/** A task's id within its scenario. */
export const ZTaskId = ZId;

export const ZVars = z
  .record(z.string().regex(/^\w+$/, "expected a var name of letters, digits and _"), z.union([z.string(), z.number()]))
  .default({});

/** A path inside the scenario folder, never outside it. */
const ZRelativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "expected a path inside the scenario folder");

/** A built-in check (`use`, data: safe from anyone) or a named function of the scenario's verify.ts. */
export const ZCheckRef = z
  .object({
    id: ZId.optional().describe("unique within the task; defaults to the `use` or `fn` name"),
    use: z
      .string()
      .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-zA-Z0-9-]*)+$/, "expected a built-in check name like 'virtualservice.mirror'")
      .optional(),
    fn: z
      .string()
      .regex(/^[A-Za-z_$][\w$]*$/, "expected the name of a function exported by verify.ts")
      .optional(),
    with: z.record(z.string(), z.unknown()).default({}),
    hint: z.string().optional().describe("shown when this check fails"),
    weight: z
      .number()
      .positive()
      .finite()
      .default(1)
      .describe(
        "its share of the task's points in an exam, against the task's other checks' weights (default 1: an even split)",
      ),
  })
  .strict()
  .refine((c) => (c.use === undefined) !== (c.fn === undefined), "a check names exactly one of `use` or `fn`");

export const ZSetupStep = z.union([
  ZRelativePath.describe(
    "a manifest file or folder applied with kubectl apply, or a script (*.sh, bareCluster scenarios) run with bash",
  ),
  z
    .object({
      sample: z.enum(["helloworld", "httpbin", "curl"]).describe("a sample app from lib/cluster/samples"),
      namespace: z.string().min(1),
    })
    .strict(),
]);

/** Documentation the exam allows: istio.io and kubernetes.io. */
const ZDocsUrl = z
  .url({ protocol: /^https$/, hostname: /^(istio\.io|kubernetes\.io)$/ })
  .describe("an https://istio.io/... or https://kubernetes.io/... page");

export const ZTask = z
  .object({
    id: ZId,
    title: z.string().min(1),
    text: ZRelativePath.describe("Markdown file with the task's instructions"),
    points: z.number().int().positive(),
    checks: z.array(ZCheckRef).min(1),
    hints: z.array(z.string().min(1)).default([]),
    solution: ZRelativePath.describe(
      "file or folder of manifests that solve the task, or a script (*.sh, bareCluster scenarios) of the commands that do",
    ),
    explanation: ZRelativePath.optional().describe("Markdown: why the solution works"),
    preSatisfied: z.array(z.string()).default([]).describe("check ids that already pass after setup, on purpose"),
    docs: ZDocsUrl.optional().describe("the istio.io (or kubernetes.io) page the task is about, shown with it"),
  })
  .strict();

export const ZMistake = z
  .object({
    path: ZRelativePath,
    why: z.string().min(1).describe("the misunderstanding this wrong answer shows"),
    fails: z.array(z.string().regex(/^[a-z0-9-]+\/[\w.$-]+$/, "expected 'taskId/checkId'")).min(1),
    base: z
      .enum(["solution", "setup"])
      .default("solution")
      .describe(
        "solution: applied over the solution (it holds only what it gets wrong); setup: a complete wrong answer applied over the setup alone (it can leave things out)",
      ),
    live: z
      .boolean()
      .default(false)
      .describe(
        "the mistake shows only on a live cluster, in objects that manifests do not hold (pods created before a change); the proof from files does not judge it",
      ),
  })
  .strict();

/** Another correct answer: a folder laid out like solution/, each task's file at the same relative path. */
export const ZAlternative = z
  .object({
    path: ZRelativePath.describe("a folder such as solution-alt/ or solution-alt-2/"),
    why: z.string().min(1).describe("how this correct answer differs from solution/"),
  })
  .strict();

/** An object outside the scenario's namespaces: by kind and name, in the root namespace unless it says otherwise. */
export const ZMeshObject = z
  .object({
    apiVersion: z.string().min(1).optional().describe("narrows the kind to one API group (Gateway is in two)"),
    kind: z.string().min(1),
    name: z.string().min(1),
    namespace: z
      .string()
      .min(1)
      .optional()
      .describe("default: the mesh's root namespace (istio-system); none for cluster-scoped kinds"),
  })
  .strict();

/** The mesh-wide state a scenario changes or depends on; Reset puts it back, and two overlapping scenarios never meet. */
export const ZMeshScope = z
  .object({
    objects: z.array(ZMeshObject).default([]).describe("root-namespace and cluster-scoped objects"),
    config: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/,
            "expected a mesh config key like outboundTrafficPolicy.mode",
          ),
      )
      .default([])
      .describe("keys of the mesh config (ConfigMap istio, key mesh)"),
  })
  .strict();

export const ZScenarioFile = z
  .object({
    id: ZId,
    title: z.string().min(1),
    summary: z.string().min(1),
    domain: z.enum(DOMAIN_IDS),
    competency: z.string().min(1),
    difficulty: z.number().int().min(1).max(3),
    minutes: z.number().int().positive(),
    istio: z
      .string()
      .refine(isIstioRange, 'expected a semver range of Istio versions like ">=1.26", ">=1.26 <1.30" or "1.26.x"')
      .default(">=1.26")
      .describe(
        "Istio versions the scenario is written for (a semver range; a development build compares as its release)",
      ),
    requires: z
      .array(z.enum(["dataPlane", "gatewayApi", "ambient", "bareCluster"]))
      .default([])
      .describe(
        "bareCluster: an install task, set up on the bare lite cluster (no Istio), started over from bare at every setup; its setup, solutions and mistakes may be shell scripts (*.sh)",
      ),
    vars: ZVars,
    namespaces: z.array(z.string().min(1)).min(1).describe("the namespaces this scenario owns; Reset empties them"),
    intro: ZRelativePath.default("intro.md"),
    setup: z.array(ZSetupStep).default([]),
    tasks: z.array(ZTask).min(1),
    mistakes: z.array(ZMistake).default([]),
    alternatives: z.array(ZAlternative).default([]).describe("other correct answers, each proved alone over the setup"),
    mesh: ZMeshScope.default({ objects: [], config: [] }),
  })
  .strict()
  .superRefine((s, ctx) => {
    const competencies: readonly string[] = DOMAINS[s.domain].competencies;
    if (!competencies.includes(s.competency)) {
      ctx.addIssue({
        code: "custom",
        path: ["competency"],
        message: `expected one of the ${s.domain} competencies: ${competencies.join("; ")}`,
      });
    }
    if (!s.requires.includes("bareCluster")) {
      const scripts: [string, (string | number)[]][] = [
        ...s.setup.flatMap((step, i): [string, (string | number)[]][] =>
          typeof step === "string" ? [[step, ["setup", i]]] : [],
        ),
        ...s.tasks.map((t, i): [string, (string | number)[]] => [t.solution, ["tasks", i, "solution"]]),
        ...s.mistakes.map((m, i): [string, (string | number)[]] => [m.path, ["mistakes", i, "path"]]),
      ];
      for (const [file, path] of scripts.filter(([f]) => f.endsWith(".sh")))
        ctx.addIssue({
          code: "custom",
          path,
          message: `${file} is a script: only a scenario with requires: [bareCluster] runs scripts (it is judged live, on a bare cluster)`,
        });
    }
    const seen = new Set<string>();
    s.tasks.forEach((t, i) => {
      if (seen.has(t.id))
        ctx.addIssue({ code: "custom", path: ["tasks", i, "id"], message: `duplicate task id '${t.id}'` });
      seen.add(t.id);
      const checkIds = new Set<string>();
      t.checks.forEach((c, j) => {
        const id = checkIdOf(c);
        if (checkIds.has(id)) {
          ctx.addIssue({
            code: "custom",
            path: ["tasks", i, "checks", j],
            message: `two checks in task '${t.id}' are both '${id}': give one an id`,
          });
        }
        checkIds.add(id);
      });
    });
  });

export type TCheckRef = z.infer<typeof ZCheckRef>;
export type TSetupStep = z.infer<typeof ZSetupStep>;
export type TTask = z.infer<typeof ZTask>;
export type TMistake = z.infer<typeof ZMistake>;
export type TAlternative = z.infer<typeof ZAlternative>;
export type TMeshScope = z.infer<typeof ZMeshScope>;
export type TMeshObject = z.infer<typeof ZMeshObject>;
export type TScenarioFile = z.infer<typeof ZScenarioFile>;

export function checkIdOf(check: Pick<TCheckRef, "id" | "use" | "fn">): string {
  return check.id ?? check.use ?? check.fn ?? "";
}

// What the loader hands to the rest of the app: the schema's output (vars were substituted
// before it was validated) with paths made absolute and Markdown read.

export type ResolvedCheck = Omit<TCheckRef, "id"> & {
  /** unique within the task */
  id: string;
};

/** A setup step as a manifest source: an absolute path, and for a sample app its namespace. */
export interface ResolvedSetupStep {
  path: string;
  namespace?: string;
  sample?: string;
}

export type ResolvedTask = Omit<TTask, "text" | "checks" | "explanation"> & {
  markdown: string;
  checks: ResolvedCheck[];
  /** absolute path of the solution's file or folder */
  solution: string;
  /** the explanation's Markdown */
  explanation?: string;
};

/** `path` is absolute. */
export type ResolvedMistake = TMistake;

/** Another correct answer: `solutions` maps each task it covers to its file or folder (absolute). */
export interface ResolvedAlternative {
  path: string;
  why: string;
  solutions: Record<string, string>;
}

export type Scenario = Omit<TScenarioFile, "intro" | "setup" | "tasks" | "mistakes" | "alternatives"> & {
  dir: string;
  introMarkdown: string;
  setup: ResolvedSetupStep[];
  tasks: ResolvedTask[];
  mistakes: ResolvedMistake[];
  alternatives: ResolvedAlternative[];
  /** absolute path of verify.ts when the scenario has one */
  verifyModule?: string;
  totalPoints: number;
};

/** An error in a scenario's files, pointing at file:line:column. */
export interface ContentError {
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** the offending line's text, when the file could not be read as YAML */
  source?: string;
}

export function formatContentError(e: ContentError): string {
  const where = e.line === undefined ? e.file : `${e.file}:${e.line}:${e.column ?? 1}`;
  if (e.source === undefined) return `${where}: ${e.message}`;
  const caret = `${" ".repeat(Math.max(0, (e.column ?? 1) - 1))}^`;
  return `${where}: ${e.message}\n    | ${e.source}\n    | ${caret}`;
}

// ---------------------------------------------------------------------------------------------
// Exams: `exams/<id>.yaml`, a mock exam made of scenarios' tasks (lib/exams/ loads and lints it).
// A task of an exam is one task of a scenario, set up with that scenario's setup plus the
// solutions of the tasks before it in that scenario (lib/exams/exam-task-manifests.ts).

/** An exam's id (its file name without .yaml). */
export const ZExamId = ZId;

/** One task of an exam: a scenario's task, by ids. */
export const ZExamTaskRef = z
  .object({
    scenario: ZScenarioId.describe("a scenario's id (its folder name)"),
    task: ZTaskId.describe("the id of one of that scenario's tasks"),
  })
  .strict();

export const ZExamFile = z
  .object({
    id: ZExamId.describe("equals the file name without .yaml"),
    title: z.string().min(1),
    minutes: z.number().int().positive().default(120).describe("the countdown, as the real exam's 2 hours"),
    passPercent: z.number().min(0).max(100).default(68).describe("the share of points that passes"),
    tasks: z.array(ZExamTaskRef).min(1).describe("in the order the exam shows them; the lint wants 15 to 20"),
  })
  .strict();

export type TExamTaskRef = z.infer<typeof ZExamTaskRef>;
export type TExamFile = z.infer<typeof ZExamFile>;

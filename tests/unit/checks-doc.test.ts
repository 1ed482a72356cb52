// docs/checks.md is generated from the registry (names, descriptions, zod schemas, examples)
// so it cannot drift. Regenerate with: UPDATE_CHECK_DOCS=1 npx vitest run tests/unit/checks-doc.test.ts
// A check's name also gives its file: `<kind>.<rest>` lives alone in lib/verify/checks/<kind>/<rest>.ts.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { stringify } from "yaml";
import { z } from "zod";
import { isCheckDefinition } from "../../lib/verify/load-verify-module";
import { builtinChecks } from "../../lib/verify/registry";
import type { CheckDefinition } from "../../lib/verify/types";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOC = path.join(ROOT, "docs/checks.md");
const CHECKS = "lib/verify/checks";

/** `virtualservice.mirror` → lib/verify/checks/virtualservice/mirror.ts */
function sourceOf(name: string): string {
  const dot = name.indexOf(".");
  return `${CHECKS}/${name.slice(0, dot)}/${name.slice(dot + 1)}.ts`;
}

const testOf = (name: string): string => sourceOf(name).replace(/\.ts$/, ".test.ts");

/** The files under a kind's folder that must each hold one check: all but tests, context.ts and test-world.ts. */
function checkFiles(): string[] {
  return readdirSync(path.join(ROOT, CHECKS), { recursive: true, encoding: "utf8" })
    .filter((f) => f.includes(path.sep) && f.endsWith(".ts"))
    .filter((f) => !/(\.test|\/context|\/test-world)\.ts$/.test(f.split(path.sep).join("/")))
    .map((f) => `${CHECKS}/${f.split(path.sep).join("/")}`);
}

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  required?: string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

function typeOf(s: JsonSchema | undefined): string {
  if (!s || Object.keys(s).filter((k) => k !== "description" && k !== "default").length === 0) return "any";
  if (s.anyOf) return s.anyOf.map(typeOf).join(" or ");
  if (s.enum) return s.enum.map((v) => `\`${v}\``).join(" \\| ");
  if (s.type === "array") return `list of ${typeOf(s.items)}`;
  if (s.type === "object" && s.properties) return `{ ${Object.keys(s.properties).join(", ")} }`;
  if (s.type === "object")
    return `map of ${typeOf(typeof s.additionalProperties === "object" ? s.additionalProperties : undefined)}`;
  const range = s.minimum !== undefined && s.maximum !== undefined ? ` ${s.minimum}–${s.maximum}` : "";
  return `${s.type ?? "any"}${range}`;
}

function paramRows(def: CheckDefinition): string[] {
  const output = z.toJSONSchema(def.params, { io: "output", unrepresentable: "any" }) as JsonSchema;
  const input = z.toJSONSchema(def.params, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const required = new Set(input.required ?? []);
  const rows: string[] = [];
  const add = (name: string, s: JsonSchema, isRequired: boolean): void => {
    const notes = [s.description, s.default !== undefined ? `default \`${JSON.stringify(s.default)}\`` : undefined]
      .filter(Boolean)
      .join("; ");
    rows.push(`| \`${name}\` | ${typeOf(s)} | ${isRequired ? "yes" : ""} | ${(notes ?? "").replace(/\|/g, "\\|")} |`);
    const inner = s.type === "array" ? s.items : s;
    if (inner?.type === "object" && inner.properties) {
      const req = new Set(inner.required ?? []);
      for (const [k, v] of Object.entries(inner.properties))
        add(`${name}${s.type === "array" ? "[]" : ""}.${k}`, v, req.has(k));
    }
  };
  for (const [k, v] of Object.entries(output.properties ?? {})) add(k, v, required.has(k));
  return rows;
}

function renderCheck(def: CheckDefinition): string {
  const requires = def.requires?.length ? `\n\nNeeds: ${def.requires.join(", ")} (otherwise **skipped**).` : "";
  const example = stringify([{ use: def.name, with: def.example }], {
    collectionStyle: "block",
    flowCollectionPadding: true,
    lineWidth: 0,
  }).replace(
    /^( {2}with:)\n((?: {4}.*\n?)+)/m,
    (_m, head: string) => `${head} ${stringify(def.example, { collectionStyle: "flow", lineWidth: 0 }).trim()}\n`,
  );
  const link = (file: string): string => `[${file}](../${file})`;
  return [
    `### \`${def.name}\``,
    "",
    `${def.description}${requires}`,
    "",
    `Source: ${link(sourceOf(def.name))} · tests: ${link(testOf(def.name))}`,
    "",
    "| param | type | required | notes |",
    "|---|---|---|---|",
    ...paramRows(def),
    "",
    "```yaml",
    example.trimEnd(),
    "```",
    "",
  ].join("\n");
}

const AREAS: [string, string][] = [
  ["virtualservice", "VirtualService"],
  ["destinationrule", "DestinationRule"],
  ["gateway", "Istio Gateway"],
  ["serviceentry", "ServiceEntry"],
  ["sidecar", "Sidecar"],
  ["hosts", "Host resolution"],
  ["peerauthentication", "PeerAuthentication"],
  ["authorizationpolicy", "AuthorizationPolicy"],
  ["requestauthentication", "RequestAuthentication"],
  ["install", "Installation"],
  ["mesh", "Mesh config"],
  ["namespace", "Namespaces and injection"],
  ["pods", "Namespaces and injection"],
  ["deployment", "Workloads"],
  ["daemonset", "Workloads"],
  ["service", "Workloads"],
  ["ingressclass", "Kubernetes Ingress"],
  ["ingress", "Kubernetes Ingress"],
  ["gatewayapi", "Gateway API"],
  ["httproute", "Gateway API"],
  ["workloadgroup", "VM workloads"],
  ["workloadentry", "VM workloads"],
  ["traffic", "Traffic through the mesh"],
  ["object", "Generic fallbacks"],
];

const INTRO = `# Built-in checks

Every check a scenario can name with \`use:\` in \`scenario.yaml\`. This file is generated from
\`lib/verify/registry.ts\` by \`tests/unit/checks-doc.test.ts\` (\`UPDATE_CHECK_DOCS=1 npx vitest run
tests/unit/checks-doc.test.ts\`); edit the checks, not this file.

A check's name says where it is: \`<kind>.<rest>\` is \`lib/verify/checks/<kind>/<rest>.ts\`, its tests
\`<rest>.test.ts\` beside it; what the checks of one kind share is in \`<kind>/context.ts\`, what
kinds share in \`lib/verify/checks/common.ts\`.

## How every check behaves

- **Results.** \`pass\` or \`fail\` with a message naming the object (\`VirtualService shop/reviews\`)
  and the field (\`spec.http[0].mirror.subset is "v1", expected "v2"\`); \`error\` when the check
  cannot judge (invalid parameters, a cluster that is unreachable or forbids reading, a bug);
  \`skipped\` when the cluster lacks what the check needs (a data plane; object status, which
  manifests read from files do not have). The task's hint is shown only on \`fail\`.
- **Parameters** are validated: an unknown or misspelled parameter is an \`error\`, never ignored.
  Numbers may be written as text (\`"50"\`), so \`{{vars}}\` work anywhere.
- **Hosts** are resolved as Istio does: \`host\` without a dot is \`<host>.<namespace>.svc.cluster.local\`
  (the check's \`namespace\`; in objects, the object's namespace); a name with a dot is taken as
  written (\`helloworld.shop\` is not expanded); \`*\` and IPs are kept. So \`reviews\` and
  \`reviews.shop.svc.cluster.local\` are the same answer in namespace \`shop\`.
- **The VirtualService that applies** is the one Istio uses for sidecars in \`fromNamespace\`
  (default \`namespace\`): private to that namespace first, then exported to it, then public; the
  oldest wins, the others are ignored (and the message says so). With \`gateway\`, the rules of
  every VirtualService bound to that gateway apply. Delegates are merged in.
- **Sample requests.** Routing checks grade the rule a sample \`request\` hits (default \`GET /\` with
  no headers), so every equivalent way to write a match passes: \`exact\`, \`prefix\` or \`regex\`,
  rules in any order. Write one check per request to grade.
- **Weights** are effective shares (weight ÷ sum): 9:1 equals 90:10; one destination without a
  weight gets 100%; a zero-weight destination gets nothing. Percentages compare within half a point.
- **Durations** compare by value: \`5s\` = \`5.0s\` = \`5000ms\`.
- **DestinationRules** are the one a client uses: its namespace, then the service's, then the root
  namespace; same-namespace rules for one host are merged; a subset's policy overrides the top level.
- **Mesh config** is read with Istio's defaults applied: an absent key is its default, never false.
- **Names are optional** where a task lets the learner choose them: without \`name\`, any object of
  the kind in the namespace that satisfies the check passes.
- **Traffic checks** (\`traffic.*\`) send real requests with curl from the prober pod (namespace
  \`ica-prober\`: one pod with a sidecar, one without for plain text; the grader may exec only there)
  and judge the answers: statuses, times, bodies, and access log lines in Istio's default format.
  Shares are judged against the expected percent within the check's \`tolerance\` (0% and 100% are
  exact). They run only where a data plane runs; on lite and from files they are \`skipped\` ("the
  lite cluster has no data plane: traffic is not sent; the configuration checks of this task judge
  it"), and a task is then scored on its other checks. A prober that cannot run, or access logging
  that is off where a check reads the log, is an \`error\`, never a \`fail\`.
`;

const CUSTOM = `## Custom checks (\`verify.ts\`)

A scenario may export its own checks from \`verify.ts\` and name them with \`fn:\`. They run in
the same engine: parameters validated by their zod schema, one shared snapshot, exceptions turned
into \`error\`. Read objects only through the snapshot, declare every kind you read, and build on
\`lib/istio\` (host resolution, VirtualService selection, DestinationRule lookup, mesh config
defaults, injection) rather than re-reading fields by hand.

\`\`\`ts
import { z } from "zod";
import { K } from "../../lib/cluster/kinds";
import { defineCheck } from "../../lib/verify/types";

export const twoReplicas = defineCheck({
  name: "twoReplicas",
  description: "helloworld-v2 runs two replicas",
  params: z.object({ namespace: z.string() }),
  kinds: [K.deployment],
  run(p, { snapshot }) {
    const d = snapshot.get(K.deployment, "helloworld-v2", p.namespace);
    const replicas = (d?.spec as { replicas?: number } | undefined)?.replicas;
    return replicas === 2
      ? { status: "pass", message: \`Deployment \${p.namespace}/helloworld-v2 has 2 replicas\` }
      : { status: "fail", message: \`Deployment \${p.namespace}/helloworld-v2 spec.replicas is \${replicas ?? "unset"}, expected 2\` };
  },
});
\`\`\`
`;

function renderAll(): string {
  const byArea = new Map<string, CheckDefinition[]>();
  for (const def of builtinChecks.values()) {
    const area = AREAS.find(([prefix]) => def.name.split(".")[0] === prefix)?.[1] ?? "Other";
    byArea.set(area, [...(byArea.get(area) ?? []), def]);
  }
  const index = [...byArea].map(
    ([area, defs]) => `- ${area}: ${defs.map((d) => `[\`${d.name}\`](#${d.name.replace(/\./g, "")})`).join(", ")}`,
  );
  const sections = [...byArea].map(([area, defs]) => [`## ${area}`, "", ...defs.map(renderCheck)].join("\n"));
  return `${INTRO}\n## Index\n\n${index.join("\n")}\n\n${sections.join("\n")}\n${CUSTOM}`.replace(/\n{3,}/g, "\n\n");
}

it("docs/checks.md documents every built-in check as the registry defines it", () => {
  const doc = renderAll();
  if (process.env.UPDATE_CHECK_DOCS) writeFileSync(DOC, doc);
  expect(existsSync(DOC), "run UPDATE_CHECK_DOCS=1 npx vitest run tests/unit/checks-doc.test.ts").toBe(true);
  expect(
    readFileSync(DOC, "utf8"),
    "docs/checks.md is stale: run UPDATE_CHECK_DOCS=1 npx vitest run tests/unit/checks-doc.test.ts",
  ).toBe(doc);
  for (const name of builtinChecks.keys()) expect(doc).toContain(`### \`${name}\``);
});

it("each check sits alone in the file its name gives, with its tests beside it", async () => {
  for (const def of builtinChecks.values()) {
    const source = sourceOf(def.name);
    expect(existsSync(path.join(ROOT, source)), `${def.name} belongs in ${source}`).toBe(true);
    expect(existsSync(path.join(ROOT, testOf(def.name))), `${def.name} needs tests in ${testOf(def.name)}`).toBe(true);
    const exported = Object.values(await import(path.join(ROOT, source))).filter(isCheckDefinition);
    expect(exported, `${source} exports ${def.name} and no other check`).toEqual([def]);
  }
  // and no file of a kind's folder holds a check the registry does not know
  expect(checkFiles().sort()).toEqual([...builtinChecks.keys()].map(sourceOf).sort());
});

import { appendFileSync, cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { brokenCopy, copyScenarios } from "../../tests/unit/scenario-fixtures";
import { lintScenario, namespaceClashes } from "./lint-scenario";
import { loadScenario } from "./load-scenario";

const messages = async (dir: string) => (await lintScenario(dir)).map((e) => e.message);

function loaded(dir: string) {
  const r = loadScenario(dir);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

describe("lintScenario", () => {
  it("rejects a scenario that owns a namespace another scenario owns, at its line", () => {
    const root = copyScenarios(["traffic-mirroring"]);
    const dir = brokenCopy(root, "analyze-short-host", "same-ns", (y) => y.replace("  ns: shop", "  ns: mirror-lab"));
    const all = [loaded(dir), loaded(path.join(root, "traffic-mirroring"))];
    const clashes = namespaceClashes([all[0]], all);
    expect(clashes).toEqual([
      expect.objectContaining({
        file: path.join(dir, "scenario.yaml"),
        line: 13,
        message:
          "namespace 'mirror-lab' is owned by scenario 'traffic-mirroring' too: every scenario needs namespaces of its own",
      }),
    ]);
    expect(namespaceClashes(all, all)).toHaveLength(2);
    expect(namespaceClashes([loaded("scenarios/traffic-mirroring")], [loaded("scenarios/analyze-short-host")])).toEqual(
      [],
    );
  });

  it("rejects a manifest that writes outside the scenario's namespaces unless mesh.objects declares it", async () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "mesh-write", (y) => y);
    const mtls =
      "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\n";
    appendFileSync(path.join(dir, "solution", "virtualservice.yaml"), `---\n${mtls}`);
    expect(await messages(dir)).toEqual([
      expect.stringMatching(
        /^PeerAuthentication default: is in namespace 'istio-system', not one of the scenario's \(mirror-lab\): declare it under mesh.objects/,
      ),
    ]);
    const declared = brokenCopy(root, "traffic-mirroring", "mesh-declared", (y) =>
      y.replace("mistakes:", "mesh:\n  objects:\n    - { kind: PeerAuthentication, name: default }\nmistakes:"),
    );
    appendFileSync(path.join(declared, "solution", "virtualservice.yaml"), `---\n${mtls}`);
    expect(await messages(declared)).toEqual([]);
    const configMap = brokenCopy(root, "traffic-mirroring", "mesh-configmap", (y) =>
      y.replace("mistakes:", "mesh:\n  objects:\n    - { kind: ConfigMap, name: istio }\nmistakes:"),
    );
    expect(await messages(configMap)).toEqual([
      expect.stringMatching(/^Reset cannot put a ConfigMap back: .*mesh config keys go under mesh.config/),
    ]);
  });

  it("takes a mesh config answer (IstioOperator spec.meshConfig) only for keys mesh.config declares", async () => {
    const root = copyScenarios([]);
    const patch =
      "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: mesh\nspec:\n  meshConfig:\n    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n    accessLogFile: /dev/stdout\n";
    const undeclared = brokenCopy(root, "traffic-mirroring", "mesh-patch", (y) =>
      y.replace("mistakes:", "mesh:\n  config: [outboundTrafficPolicy]\nmistakes:"),
    );
    appendFileSync(path.join(undeclared, "solution", "virtualservice.yaml"), `---\n${patch}`);
    expect(await messages(undeclared)).toEqual([
      expect.stringMatching(
        /^IstioOperator mesh: sets the mesh config key accessLogFile: declare it under mesh.config/,
      ),
    ]);
    const declared = brokenCopy(root, "traffic-mirroring", "mesh-patch-declared", (y) =>
      y.replace("mistakes:", "mesh:\n  config: [outboundTrafficPolicy.mode, accessLogFile]\nmistakes:"),
    );
    appendFileSync(path.join(declared, "solution", "virtualservice.yaml"), `---\n${patch}`);
    expect(await messages(declared)).toEqual([]);
    appendFileSync(path.join(declared, "solution", "virtualservice.yaml"), "  components:\n    egressGateways: []\n");
    expect(await messages(declared)).toEqual([
      expect.stringMatching(
        /^IstioOperator mesh: spec.components: a scenario's IstioOperator sets the mesh config only/,
      ),
    ]);
  });

  it("takes a delete marker only for an object the setup creates", async () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "delete-marker", (y) => y);
    const marker = (name: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: mirror-lab\n  annotations:\n    ica-practice/delete: "true"\n`;
    appendFileSync(path.join(dir, "solution", "virtualservice.yaml"), `---\n${marker("helloworld-v2")}`);
    expect(await messages(dir)).toEqual([]);
    appendFileSync(path.join(dir, "solution", "virtualservice.yaml"), `---\n${marker("helloworld-v3")}`);
    expect(await messages(dir)).toEqual(["Deployment helloworld-v3: deletes an object the setup does not create"]);
  });

  it("rejects a mistake that leaves the cluster as the solution does", async () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "no-mistake", (y) => y);
    cpSync(path.join(dir, "solution", "virtualservice.yaml"), path.join(dir, "mistakes", "mirror-wrong-subset.yaml"));
    expect(await messages(dir)).toEqual([
      "mistakes/mirror-wrong-subset.yaml leaves the cluster as the solution does: it is no mistake",
    ]);
  });

  it("rejects a solution-alt folder that is not declared, or that gives no task a file", async () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(root, "traffic-mirroring", "alt", (y) => y);
    mkdirSync(path.join(dir, "solution-alt-9"));
    expect(await messages(dir)).toContain("folder solution-alt-9/ is not declared under alternatives (with its why)");
    const declared = brokenCopy(root, "traffic-mirroring", "alt-declared", (y) =>
      y.replace("alternatives:\n", "alternatives:\n  - path: solution-alt-9/\n    why: nothing yet\n"),
    );
    mkdirSync(path.join(declared, "solution-alt-9"));
    expect(await messages(declared)).toEqual([
      "solution-alt-9/ gives no task a file: put each task's answer at the path its solution has under solution/",
    ]);
  });

  it("reports five planted errors of one folder in one run, schema and references alike", async () => {
    const root = copyScenarios([]);
    const dir = brokenCopy(
      root,
      "traffic-mirroring",
      "five",
      (y) =>
        y
          .replace("difficulty: 2", "difficulty: hard") // schema: a number
          .replace("minutes: 10", "minutes: 10\ncolour: blue") // schema: unknown field
          .replace("use: virtualservice.mirror", "use: virtualservice.mirorr") // an unknown check
          .replace("solution: solution/destinationrule.yaml", "solution: solution/nothing.yaml") // a missing file
          .replace("fails: [mirror/virtualservice.mirror]", "fails: [mirror/nope]"), // an unknown check id
    );
    const found = await messages(dir);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^difficulty: /),
        "unknown field 'colour'",
        "unknown check 'virtualservice.mirorr' (did you mean 'virtualservice.mirror'?)",
        "solution not found: solution/nothing.yaml",
        "no check 'mirror/nope' (expected taskId/checkId)",
      ]),
    );
  });
});

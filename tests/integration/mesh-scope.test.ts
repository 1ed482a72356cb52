// Reset puts back exactly the mesh-wide state a scenario declares (root-namespace objects, mesh
// config keys) as the lite cluster's baseline has it, and nothing else.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type ActiveCluster, resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { liteMeshBaselinePath, type MeshBaseline, readMeshBaseline } from "../../lib/cluster/mesh-scope";
import { setUpScenario } from "../../lib/cluster/scenario-objects";
import { groupOf } from "../../lib/cluster/types";
import type { TMeshScope } from "../../lib/scenarios/schema";
import { kubectl, kubectlOk } from "./lite";

const NS = "mesh-scope-lab";
const mesh: TMeshScope = {
  objects: [{ kind: "PeerAuthentication", name: "default" }],
  config: ["outboundTrafficPolicy.mode", "accessLogFile"],
};

let admin: ActiveCluster;
let dir: string;
let scenario: { namespaces: string[]; setup: { path: string }[]; mesh: TMeshScope };
let installedMesh: string;

type Rec = Record<string, unknown>;

async function readMesh(): Promise<string> {
  return kubectlOk(["get", "configmap", "istio", "-n", "istio-system", "-o", "jsonpath={.data.mesh}"]);
}

async function writeMesh(text: string): Promise<void> {
  const patch = JSON.stringify({ data: { mesh: text } });
  await kubectlOk(["patch", "configmap", "istio", "-n", "istio-system", "--type", "merge", "-p", patch]);
}

function baseline(): MeshBaseline {
  const recorded = readMeshBaseline(liteMeshBaselinePath());
  if (!recorded) throw new Error(`no mesh baseline at ${liteMeshBaselinePath()}`);
  return recorded;
}

async function exists(args: string[]): Promise<boolean> {
  const r = await kubectl(["get", ...args, "-o", "name", "--ignore-not-found"]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim() !== "";
}

beforeAll(async () => {
  admin = resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" });
  dir = mkdtempSync(path.join(tmpdir(), "mesh-scope-"));
  const nsFile = path.join(dir, "namespace.yaml");
  writeFileSync(nsFile, stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }));
  scenario = { namespaces: [NS], setup: [{ path: nsFile }], mesh };
  installedMesh = await readMesh();
});

afterAll(async () => {
  await kubectl(["delete", "sidecar", "other", "-n", "istio-system", "--ignore-not-found"]);
  await kubectl(["delete", "peerauthentication", "default", "-n", "istio-system", "--ignore-not-found"]);
  await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
  if (installedMesh !== undefined) await writeMesh(installedMesh);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the mesh baseline", () => {
  it("was recorded by up: the mesh text and the Istio, IngressClass and GatewayClass kinds", () => {
    const recorded = baseline();
    expect(recorded.mesh).toContain("rootNamespace: istio-system");
    const resources = recorded.kinds.map((k) => k.resource);
    for (const r of [
      "peerauthentications.security.istio.io",
      "sidecars.networking.istio.io",
      "telemetries.telemetry.istio.io",
      "wasmplugins.extensions.istio.io",
      "ingressclasses.networking.k8s.io",
      "gatewayclasses.gateway.networking.k8s.io",
    ]) {
      expect(resources).toContain(r);
    }
    expect(resources.every((r) => /\.(networking|security|telemetry|extensions)\.istio\.io$|class/.test(r))).toBe(true);
  });

  it("is recorded at setup, with a progress line, when the lite cluster has none", async () => {
    const file = liteMeshBaselinePath();
    const saved = readFileSync(file, "utf8");
    rmSync(file);
    try {
      const lines: string[] = [];
      await setUpScenario(admin, scenario, (line) => lines.push(line));
      expect(lines.join("\n")).toMatch(/no mesh baseline .*recording the mesh state now/);
      expect(readMeshBaseline(file)?.mesh).toBe(JSON.parse(saved).mesh);
    } finally {
      writeFileSync(file, saved);
    }
  });
});

describe("Reset of a scenario that declares an object of the baseline", () => {
  const telemetry = (name: string, tracing: boolean) => ({
    apiVersion: "telemetry.istio.io/v1",
    kind: "Telemetry",
    metadata: { name, namespace: "istio-system" },
    spec: { tracing: [{ disableSpanReporting: !tracing }] },
  });
  const objects = [
    { kind: "Telemetry", name: "mesh-scope-kept" },
    { kind: "Telemetry", name: "mesh-scope-gone" },
  ];
  const declaring = () => ({ ...scenario, mesh: { objects, config: [] } });

  it("puts a changed one back and recreates a deleted one", async () => {
    // A baseline that holds two objects: recorded (as for a cluster without one) while they are there.
    const file = liteMeshBaselinePath();
    const saved = readFileSync(file, "utf8");
    try {
      await kubectlOk(
        ["apply", "-f", "-"],
        [telemetry("mesh-scope-kept", true), telemetry("mesh-scope-gone", true)].map((t) => stringify(t)).join("---\n"),
      );
      rmSync(file);
      await setUpScenario(admin, declaring(), () => {});
      expect(baseline().objects.map((o) => o.metadata.name)).toEqual(
        expect.arrayContaining(["mesh-scope-kept", "mesh-scope-gone"]),
      );

      await kubectlOk(["apply", "-f", "-"], stringify(telemetry("mesh-scope-kept", false)));
      await kubectlOk(["label", "telemetry", "mesh-scope-kept", "-n", "istio-system", "mine=yes"]);
      await kubectlOk(["delete", "telemetry", "mesh-scope-gone", "-n", "istio-system"]);

      const lines: string[] = [];
      await setUpScenario(admin, declaring(), (line) => lines.push(line));
      expect(lines).toEqual(
        expect.arrayContaining([
          "Telemetry istio-system/mesh-scope-kept: put back as in the baseline",
          "Telemetry istio-system/mesh-scope-gone: recreated from the baseline",
        ]),
      );
      const kept = JSON.parse(
        await kubectlOk(["get", "telemetry", "mesh-scope-kept", "-n", "istio-system", "-o", "json"]),
      );
      expect(kept.spec).toEqual(telemetry("mesh-scope-kept", true).spec);
      expect(kept.metadata.labels?.mine).toBeUndefined();
      expect(await exists(["telemetry", "mesh-scope-gone", "-n", "istio-system"])).toBe(true);
    } finally {
      writeFileSync(file, saved);
      await kubectl([
        "delete",
        "telemetry",
        "mesh-scope-kept",
        "mesh-scope-gone",
        "-n",
        "istio-system",
        "--ignore-not-found",
      ]);
    }
  });
});

describe("Reset of a scenario that declares a mesh scope", () => {
  it("removes and restores exactly what it declares, and keeps everything else", async () => {
    await setUpScenario(admin, scenario, () => {});
    const before = baseline();

    // What a learner does: a mesh-wide STRICT policy, two declared mesh keys, and, outside the
    // scenario's declaration, a mesh key and a root-namespace object.
    await kubectlOk(
      ["apply", "-f", "-"],
      stringify({
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: "istio-system" },
        spec: { mtls: { mode: "STRICT" } },
      }),
    );
    await kubectlOk(
      ["apply", "-f", "-"],
      stringify({
        apiVersion: "networking.istio.io/v1",
        kind: "Sidecar",
        metadata: { name: "other", namespace: "istio-system" },
        spec: { egress: [{ hosts: ["./*"] }] },
      }),
    );
    const changed = (parse(await readMesh()) ?? {}) as Rec;
    changed.outboundTrafficPolicy = { ...(changed.outboundTrafficPolicy as Rec | undefined), mode: "REGISTRY_ONLY" };
    changed.accessLogFile = "/dev/stdout";
    changed.enableTracing = false;
    await writeMesh(stringify(changed));

    const lines: string[] = [];
    await setUpScenario(admin, scenario, (line) => lines.push(line));

    expect(await exists(["peerauthentication", "default", "-n", "istio-system"])).toBe(false);
    expect(lines).toContain("PeerAuthentication istio-system/default: deleted (not in the baseline)");
    const now = (parse(await readMesh()) ?? {}) as Rec;
    const then = (parse(before.mesh ?? "") ?? {}) as Rec;
    expect((now.outboundTrafficPolicy as Rec | undefined)?.mode).toBe(
      (then.outboundTrafficPolicy as Rec | undefined)?.mode,
    );
    expect(now.accessLogFile).toBe(then.accessLogFile);
    // what the scenario does not declare stays as the learner left it
    expect(now.enableTracing).toBe(false);
    expect(await exists(["sidecar", "other", "-n", "istio-system"])).toBe(true);
    for (const o of before.objects) {
      const ns = o.metadata.namespace ? ["-n", o.metadata.namespace] : [];
      const kind = before.kinds.find((k) => k.kind === o.kind && k.group === groupOf(o.apiVersion));
      const plural = kind?.resource ?? o.kind;
      expect(await exists([plural, o.metadata.name, ...ns]), `${o.kind} ${o.metadata.name}`).toBe(true);
    }
    expect(await exists(["namespace", "istio-system"])).toBe(true);
    expect(await exists(["namespace", NS])).toBe(true);

    // A second Reset finds nothing to do.
    const again: string[] = [];
    await setUpScenario(admin, scenario, (line) => again.push(line));
    expect(again).toContain("Mesh config outboundTrafficPolicy.mode, accessLogFile: as in the baseline");
    expect(again.some((l) => l.includes("PeerAuthentication"))).toBe(false);
  });
});

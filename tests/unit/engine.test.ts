import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FileCluster } from "../../lib/cluster/file-cluster";
import { K } from "../../lib/cluster/kinds";
import type { Cluster, ClusterResult, KindRef, KubeObject } from "../../lib/cluster/types";
import { type CheckRequest, runChecks } from "../../lib/verify/engine";
import { isCheckDefinition, loadVerifyModule } from "../../lib/verify/load-verify-module";
import { builtinChecks, findBuiltinCheck } from "../../lib/verify/registry";
import { type CheckDefinition, defineCheck } from "../../lib/verify/types";

function countingCluster(
  fail: Partial<Record<string, ClusterResult<KubeObject[]>>> = {},
): Cluster & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: "counting",
    capabilities: { dataPlane: false },
    calls,
    async list(kind: KindRef) {
      calls.push(kind.kind);
      return fail[kind.kind] ?? { ok: true, value: [] };
    },
    async get() {
      return { ok: false, failure: { reason: "not-found", message: "" } };
    },
  };
}

const req = (use: string, params: Record<string, unknown>, extra: Partial<CheckRequest> = {}): CheckRequest => ({
  id: use,
  use,
  with: params,
  ...extra,
});
const custom = (def: CheckDefinition) => new Map([[def.name, def]]);

describe("engine", () => {
  it("lists each kind once for all checks", async () => {
    const cluster = countingCluster();
    const results = await runChecks(cluster, [
      req("virtualservice.routes", { host: "a", namespace: "x", expect: { v1: 100 } }),
      req("virtualservice.mirror", { host: "a", namespace: "x" }),
      req("destinationrule.subsets", { host: "a", namespace: "x", subsets: ["v1"] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fail", "fail", "fail"]);
    expect(cluster.calls.filter((k) => k === "VirtualService")).toHaveLength(1);
    expect(new Set(cluster.calls).size).toBe(cluster.calls.length);
  });
  it("prefixes ids with the task and gives the hint only on fail", async () => {
    const [failed, passed] = await runChecks(new FileCluster(), [
      req("virtualservice.exists", { namespace: "x" }, { id: "vs", taskId: "t1", hint: "make one" }),
      req(
        "object.exists",
        { kind: "Namespace", name: "x", absent: true },
        { id: "ns", taskId: "t1", hint: "never shown" },
      ),
    ]);
    expect(failed).toMatchObject({ id: "t1/vs", use: "virtualservice.exists", status: "fail", hint: "make one" });
    expect(passed).toMatchObject({ id: "t1/ns", status: "pass" });
    expect(passed.hint).toBeUndefined();
    expect(failed.durationMs).toBeGreaterThanOrEqual(0);
  });
  it("turns unknown checks and invalid params into errors with the zod message", async () => {
    const [unknown, invalid, noFn] = await runChecks(new FileCluster(), [
      req("virtualservice.nope", {}),
      req("virtualservice.routes", { host: "a", expect: { v1: 200 } }),
      { id: "x", fn: "missing", with: {} },
    ]);
    expect(unknown).toMatchObject({ status: "error", message: "unknown built-in check 'virtualservice.nope'" });
    expect(invalid.status).toBe("error");
    expect(invalid.message).toMatch(/invalid parameters for virtualservice\.routes: namespace: .*expect\.v1: .*100/);
    expect(noFn.message).toMatch(/verify\.ts exports no check 'missing'/);
  });
  it("reports unreadable kinds as errors, never as fails", async () => {
    const down = {
      ok: false as const,
      failure: {
        reason: "unreachable" as const,
        message: "cannot reach API server https://127.0.0.1:1: connection refused",
      },
    };
    const forbidden = { ok: false as const, failure: { reason: "forbidden" as const, message: "no rights" } };
    const [a, b] = await runChecks(countingCluster({ VirtualService: down, Namespace: forbidden }), [
      req("virtualservice.exists", { namespace: "x" }),
      req("namespace.injection", { namespace: "x" }),
    ]);
    expect(a).toMatchObject({
      status: "error",
      message: expect.stringMatching(/cannot read VirtualService \(unreachable: .*connection refused\)/),
    });
    expect(b).toMatchObject({
      status: "error",
      message: expect.stringMatching(/cannot read Namespace \(forbidden: no rights\)/),
    });
  });
  it("reads a kind whose CRD is missing as empty, and says so on fail", async () => {
    const missing = { ok: false as const, failure: { reason: "not-found" as const, message: "404" } };
    const [r] = await runChecks(countingCluster({ VirtualService: missing }), [
      req("virtualservice.exists", { namespace: "x" }),
    ]);
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/does not serve VirtualService: is the CRD installed\?/);
  });
  it("skips checks that need a capability the cluster lacks", async () => {
    const needy = defineCheck({
      name: "needs.dataplane",
      description: "d",
      params: z.object({}),
      kinds: [],
      requires: ["dataPlane"],
      run: () => ({ status: "pass", message: "ok" }),
    });
    const [r] = await runChecks(new FileCluster(), [{ id: "n", fn: "needs.dataplane", with: {} }], custom(needy));
    expect(r).toMatchObject({ status: "skipped", message: expect.stringMatching(/needs a data plane/) });
  });
  it("turns exceptions, bad verdicts and undeclared reads into errors", async () => {
    const throws = defineCheck({
      name: "throws",
      description: "d",
      params: z.object({}),
      kinds: [],
      run: () => {
        throw new Error("boom");
      },
    });
    const silent = defineCheck({
      name: "silent",
      description: "d",
      params: z.object({}),
      kinds: [],
      run: () => ({ status: "pass", message: " " }),
    });
    const sneaky = defineCheck({
      name: "sneaky",
      description: "d",
      params: z.object({}),
      kinds: [K.service],
      run: (_p, { snapshot }) => ({ status: "pass", message: `${snapshot.list(K.pod).length}` }),
    });
    const badKinds = defineCheck({
      name: "bad-kinds",
      description: "d",
      params: z.object({}),
      kinds: () => {
        throw new Error("no kinds");
      },
      run: () => ({ status: "pass", message: "x" }),
    });
    const results = await runChecks(
      new FileCluster(),
      ["throws", "silent", "sneaky", "bad-kinds"].map((fn) => ({ id: fn, fn, with: {} })),
      new Map([
        ["throws", throws],
        ["silent", silent],
        ["sneaky", sneaky],
        ["bad-kinds", badKinds],
      ] as [string, CheckDefinition][]),
    );
    expect(results.map((r) => r.status)).toEqual(["error", "error", "error", "error"]);
    expect(results[0].message).toBe("throws failed: boom");
    expect(results[1].message).toMatch(/returned no verdict/);
    expect(results[2].message).toMatch(/reads Pod without declaring it/);
    expect(results[3].message).toMatch(/no kinds/);
  });
  it("loads a verify.ts module's checks by export name", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "verify-"));
    const file = path.join(dir, "verify.ts");
    writeFileSync(
      file,
      `import { z } from "zod";
export const podCount = { name: "podCount", description: "d", params: z.object({ min: z.number() }), kinds: [], run: (p: { min: number }) => ({ status: p.min > 0 ? "fail" : "pass", message: "counted" }) };
export const notACheck = 42;`,
    );
    const loaded = await loadVerifyModule(file);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect([...loaded.checks.keys()]).toEqual(["podCount"]);
    const [r] = await runChecks(new FileCluster(), [{ id: "c", fn: "podCount", with: { min: 1 } }], loaded.checks);
    expect(r).toMatchObject({ status: "fail", message: "counted" });
    const broken = await loadVerifyModule(path.join(dir, "missing.ts"));
    expect(broken.ok).toBe(false);
  });
});

describe("registry", () => {
  it("has dotted lowercase names, a description, and an example that its schema accepts", () => {
    expect(builtinChecks.size).toBeGreaterThanOrEqual(45);
    for (const [name, def] of builtinChecks) {
      expect(name).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/);
      expect(def.name).toBe(name);
      expect(isCheckDefinition(def)).toBe(true);
      expect(def.description.length).toBeGreaterThan(20);
      const parsed = def.params.safeParse(def.example);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true);
    }
    expect(findBuiltinCheck("virtualservice.routes")?.name).toBe("virtualservice.routes");
    expect(findBuiltinCheck("nope")).toBeUndefined();
  });
  it("rejects unknown parameters (typos are errors, not silently ignored)", () => {
    for (const [name, def] of builtinChecks) {
      const withTypo = { ...(def.example as Record<string, unknown>), hostt: "x" };
      expect(def.params.safeParse(withTypo).success, name).toBe(false);
    }
  });
});

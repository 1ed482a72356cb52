// Test helper: grading a built-in check over manifests given as YAML text, through the real engine.
import { expect } from "vitest";
import { FileCluster, parseManifests } from "../../cluster/file-cluster";
import type { Cluster, KubeObject } from "../../cluster/types";
import { runChecks } from "../engine";
import type { CheckResult } from "../types";

function clusterOf(yaml: string, namespace = "shop"): FileCluster {
  const { objects, errors } = parseManifests(yaml, "<test>", namespace);
  if (errors.length > 0) throw new Error(errors.map((e) => `${e.line}: ${e.message}`).join("\n"));
  return new FileCluster(objects as KubeObject[]);
}

export async function grade(
  use: string,
  params: Record<string, unknown>,
  yaml: string,
  namespace = "shop",
): Promise<CheckResult> {
  const [result] = await runChecks(clusterOf(yaml, namespace), [{ id: use, use, with: params }]);
  return result;
}

/** As on a live cluster with a data plane: objects carry status. */
export async function gradeLive(use: string, params: Record<string, unknown>, yaml: string): Promise<CheckResult> {
  const files = clusterOf(yaml);
  const live: Cluster = {
    name: "live",
    capabilities: { dataPlane: true },
    list: (k, ns) => files.list(k, ns),
    get: (k, n, ns) => files.get(k, n, ns),
  };
  const [result] = await runChecks(live, [{ id: use, use, with: params }]);
  return result;
}

export async function expectPass(use: string, params: Record<string, unknown>, yaml: string): Promise<CheckResult> {
  const r = await grade(use, params, yaml);
  expect(r.status, r.message).toBe("pass");
  return r;
}

/** Fails, with a message matching every pattern given. */
export async function expectFail(
  use: string,
  params: Record<string, unknown>,
  yaml: string,
  ...patterns: RegExp[]
): Promise<CheckResult> {
  const r = await grade(use, params, yaml);
  expect(r.status, r.message).toBe("fail");
  for (const p of patterns) expect(r.message).toMatch(p);
  return r;
}

/** Grades on a live cluster and expects the status (`pass`/`fail`) with a message matching `message`. */
export async function expectLive(
  use: string,
  params: Record<string, unknown>,
  yaml: string,
  status: string,
  message: RegExp,
): Promise<void> {
  const r = await gradeLive(use, params, yaml);
  expect(`${use} ${r.status}`, r.message).toBe(`${use} ${status}`);
  expect(r.message).toMatch(message);
}

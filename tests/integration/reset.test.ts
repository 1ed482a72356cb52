// Reset on the lite cluster: the scenario's namespaces are kept but put back as setup defines
// them (everything a learner added is gone, labels and annotations included), and a scenario
// may never make Reset touch a namespace like kube-system.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { ResetRefusedError } from "../../lib/cluster/reset-namespaces";
import { setUpScenario } from "../../lib/cluster/scenario-objects";
import { loadScenario } from "../../lib/scenarios/load-scenario";
import type { Scenario } from "../../lib/scenarios/schema";
import { kubectl, kubectlOk } from "./lite";

const admin = () => resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" });
let scenario: Scenario;
let ns: string;

beforeAll(async () => {
  const loaded = loadScenario("traffic-mirroring");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  scenario = loaded.scenario;
  [ns] = scenario.namespaces;
  await setUpScenario(admin(), scenario, () => {});
});

afterAll(async () => {
  await kubectl(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"]);
});

describe("Reset", () => {
  it("keeps the namespace but removes what the learner added, labels and annotations too", {
    timeout: 120_000,
  }, async () => {
    const uid = await kubectlOk(["get", "namespace", ns, "-o", "jsonpath={.metadata.uid}"]);
    // setup labels the namespace istio-injection=enabled; the learner changes that and adds more
    await kubectlOk([
      "label",
      "--overwrite",
      "namespace",
      ns,
      "istio-injection=disabled",
      "istio.io/rev=canary",
      "team=a",
    ]);
    await kubectlOk(["annotate", "namespace", ns, "note=learner"]);
    await kubectlOk(["apply", "-f", scenario.tasks[0].solution]);
    await kubectlOk(["create", "configmap", "learner-notes", "-n", ns, "--from-literal=a=b"]);
    await kubectlOk(["create", "serviceaccount", "learner-sa", "-n", ns]);
    await kubectlOk(["run", "stray", "-n", ns, "--image=busybox", "--restart=Never"]);

    const started = Date.now();
    await setUpScenario(admin(), scenario, () => {});
    const seconds = (Date.now() - started) / 1000;

    expect(await kubectlOk(["get", "namespace", ns, "-o", "jsonpath={.metadata.uid}"])).toBe(uid);
    const meta = JSON.parse(await kubectlOk(["get", "namespace", ns, "-o", "jsonpath={.metadata}"]));
    expect(meta.labels).toEqual({ "istio-injection": "enabled", "kubernetes.io/metadata.name": ns });
    expect(Object.keys(meta.annotations ?? {})).not.toContain("note");
    const left = async (kind: string) =>
      (await kubectlOk(["get", kind, "-n", ns, "-o", "name"])).split("\n").filter(Boolean);
    expect(await left("destinationrules.networking.istio.io")).toEqual([]);
    expect(await left("configmaps")).not.toContain("configmap/learner-notes");
    expect(await left("serviceaccounts")).toEqual(["serviceaccount/default"]);
    // the setup is back: the sample's Deployments and Service
    expect(await left("deployments")).toEqual(["deployment.apps/helloworld-v1", "deployment.apps/helloworld-v2"]);
    expect(await left("services")).toEqual(["service/helloworld"]);
    const pods = await left("pods");
    expect(pods).not.toContain("pod/stray");
    console.log(`Reset of ${ns} took ${seconds.toFixed(1)} s`);
  });

  it("sets up again over a namespace that is still terminating", { timeout: 180_000 }, async () => {
    await kubectlOk(["delete", "namespace", ns, "--wait=false"]);
    await setUpScenario(admin(), scenario, () => {});
    expect(await kubectlOk(["get", "namespace", ns, "-o", "jsonpath={.status.phase}"])).toBe("Active");
    expect(await kubectlOk(["get", "deployments", "-n", ns, "-o", "name"])).toContain("helloworld-v1");
  });

  it("refuses a scenario that owns kube-system, before touching anything", async () => {
    const before = await kubectlOk(["get", "pods", "-n", "kube-system", "-o", "name"]);
    const hostile = { namespaces: ["kube-system"], setup: [] };
    await expect(setUpScenario(admin(), hostile, () => {})).rejects.toThrow(ResetRefusedError);
    await expect(setUpScenario(admin(), { namespaces: ["istio-system"], setup: [] }, () => {})).rejects.toThrow(
      /never empties istio-system/,
    );
    expect(await kubectlOk(["get", "pods", "-n", "kube-system", "-o", "name"])).toBe(before);
  });
});

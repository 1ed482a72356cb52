import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { PLAIN_PROBER_APP, PROBER_APP, PROBER_NAMESPACE, proberManifestPath } from "./prober-manifests";

type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  rules?: { resources: string[]; verbs: string[] }[];
  spec?: { template?: { metadata?: { labels?: Record<string, string> } } };
};
const objects = parseAllDocuments(readFileSync(proberManifestPath(), "utf8")).map((d) => d.toJS() as Obj);

describe("the prober's manifests", () => {
  it("put everything in the prober's own, injected namespace", () => {
    const ns = objects.find((o) => o.kind === "Namespace");
    expect(ns?.metadata).toMatchObject({ name: PROBER_NAMESPACE, labels: { "istio-injection": "enabled" } });
    for (const o of objects.filter((x) => x.kind !== "Namespace")) expect(o.metadata.namespace).toBe(PROBER_NAMESPACE);
  });

  it("grant exec only through a Role of that namespace, never cluster-wide", () => {
    expect(objects.filter((o) => o.kind.startsWith("Cluster"))).toEqual([]);
    const role = objects.find((o) => o.kind === "Role");
    expect(role?.rules?.flatMap((r) => r.resources)).toEqual(["pods", "pods/exec"]);
  });

  it("run one curl pod with a sidecar and one without (plain text)", () => {
    const labels = objects.filter((o) => o.kind === "Deployment").map((d) => d.spec?.template?.metadata?.labels);
    expect(labels).toEqual([{ app: PROBER_APP }, { app: PLAIN_PROBER_APP, "sidecar.istio.io/inject": "false" }]);
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileCluster, loadFileCluster, parseManifests } from "./file-cluster";
import { K } from "./kinds";

function fileClusterFromYaml(text: string, namespace = "default", file = "<input>") {
  const { objects, errors } = parseManifests(text, file, namespace);
  return { cluster: new FileCluster(objects), errors };
}

const vs = (name: string, extra = "") => `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ${name}
${extra}spec:
  hosts: [reviews]
`;

describe("file cluster", () => {
  it("reads multi-document YAML and kind: List, matching kinds by group whatever the version", async () => {
    const { cluster, errors } = fileClusterFromYaml(
      `${vs("a")}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.istio.io/v1alpha3\n  kind: VirtualService\n  metadata: { name: b }\n- apiVersion: v1\n  kind: Namespace\n  metadata: { name: shop }\n`,
      "shop",
    );
    expect(errors).toEqual([]);
    const listed = await cluster.list(K.virtualService);
    expect(listed.ok && listed.value.map((o) => o.metadata.name)).toEqual(["a", "b"]);
    expect(cluster.name).toBe("files");
    expect(cluster.capabilities.dataPlane).toBe(false);
  });
  it("gives namespaced objects without a namespace the caller's, and leaves cluster-scoped ones alone", async () => {
    const { cluster } = fileClusterFromYaml(
      `${vs("a")}---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n`,
      "shop",
    );
    const vsList = await cluster.list(K.virtualService, "shop");
    const nsList = await cluster.list(K.namespace);
    expect(vsList.ok && vsList.value).toHaveLength(1);
    expect(nsList.ok && nsList.value[0].metadata.namespace).toBeUndefined();
    expect(fileClusterFromYaml(vs("a")).cluster.all()[0].metadata.namespace).toBe("default");
  });
  it("gives objects creationTimestamps in file order, keeping given ones", () => {
    const { cluster } = fileClusterFromYaml(
      `${vs("a")}---\n${vs("b")}---\n${vs("c", '  creationTimestamp: "2020-01-01T00:00:00Z"\n')}`,
    );
    const times = cluster.all().map((o) => o.metadata.creationTimestamp ?? "");
    expect(times[0] < times[1]).toBe(true);
    expect(times[2]).toBe("2020-01-01T00:00:00Z");
  });
  it("replaces an object applied again but keeps its first creationTimestamp", () => {
    const { cluster } = fileClusterFromYaml(`${vs("a")}---\n${vs("b")}---\n${vs("a", "  labels: { v: '2' }\n")}`);
    const all = cluster.all();
    expect(all.map((o) => o.metadata.name)).toEqual(["a", "b"]);
    expect(all[0].metadata.labels).toEqual({ v: "2" });
    expect(all[0].metadata.creationTimestamp! < all[1].metadata.creationTimestamp!).toBe(true);
  });
  it("reports errors with file and line", () => {
    const { errors } = fileClusterFromYaml(
      `${vs("a")}---\nkind: Service\nmetadata: { name: x }\n---\napiVersion: v1\nkind: Service\nmetadata: {}\n---\nfoo: [unclosed\n`,
      "default",
      "f.yaml",
    );
    expect(errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([
      "f.yaml:8: missing apiVersion",
      "f.yaml:11: Service: missing metadata.name",
      expect.stringMatching(/^f\.yaml:1[4-6]: /),
    ]);
  });
  it("skips empty documents", () => {
    expect(fileClusterFromYaml(`---\n${vs("a")}---\n---\n`).errors).toEqual([]);
  });
  it("loads folders recursively in name order with a namespace per source", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fc-"));
    mkdirSync(path.join(dir, "sub"));
    writeFileSync(path.join(dir, "b.yaml"), vs("b"));
    writeFileSync(path.join(dir, "sub", "a.yml"), vs("a"));
    writeFileSync(path.join(dir, "notes.txt"), "not yaml");
    const { cluster, errors } = loadFileCluster([{ path: dir, namespace: "team" }, path.join(dir, "missing.yaml")]);
    expect(cluster.all().map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["team/b", "team/a"]);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/cannot read/);
    const got = await cluster.get(K.virtualService, "a", "team");
    expect(got.ok).toBe(true);
    const missing = await cluster.get(K.virtualService, "zz", "team");
    expect(!missing.ok && missing.failure.reason).toBe("not-found");
  });
});

describe("file cluster: mesh config answers", () => {
  it("folds an IstioOperator's spec.meshConfig into ConfigMap istio-system/istio, each over the one before", async () => {
    const io = (name: string, body: string) =>
      `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: ${name}\nspec:\n  meshConfig:\n${body}`;
    const { cluster, errors } = fileClusterFromYaml(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata:\n  mesh: "rootNamespace: istio-system\\n"\n---\n${io("a", "    enableAutoMtls: false\n    accessLogFile: /dev/stdout\n")}---\n${io("a", "    accessLogFile: /tmp/x\n")}`,
    );
    expect(errors).toEqual([]);
    const got = await cluster.get(K.configMap, "istio", "istio-system");
    const mesh = got.ok ? (got.value as { data?: { mesh?: string } }).data?.mesh : undefined;
    expect(mesh).toBe("rootNamespace: istio-system\nenableAutoMtls: false\naccessLogFile: /tmp/x\n");
  });
});

describe("file cluster: an IstioOperator without a name", () => {
  it("is taken as istioctl takes it (named installed-state), its meshConfig folded in", async () => {
    const { cluster, errors } = fileClusterFromYaml(
      "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  meshConfig:\n    accessLogFile: /dev/stdout\n",
    );
    expect(errors).toEqual([]);
    const got = await cluster.get(K.configMap, "istio", "istio-system");
    const mesh = got.ok ? (got.value as { data?: { mesh?: string } }).data?.mesh : undefined;
    expect(mesh).toContain("accessLogFile: /dev/stdout");
  });

  it("still refuses another kind without metadata.name", () => {
    const { errors } = fileClusterFromYaml("apiVersion: v1\nkind: ConfigMap\ndata: {}\n");
    expect(errors.map((e) => e.message)).toEqual(["ConfigMap: missing metadata.name"]);
  });
});

describe("file cluster: delete markers", () => {
  it("deletes the object a marker names, remembers the marker, and lets a later manifest create it again", async () => {
    const marker = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: a\n  annotations: { ica-practice/delete: "true" }\n`;
    const { cluster, errors } = fileClusterFromYaml(`${vs("a")}---\n${vs("b")}---\n${marker}`, "shop");
    expect(errors).toEqual([]);
    const names = async () => {
      const listed = await cluster.list(K.virtualService, "shop");
      return listed.ok ? listed.value.map((o) => o.metadata.name) : [];
    };
    expect(await names()).toEqual(["b"]);
    expect(cluster.deleteMarkers().map((o) => o.metadata.name)).toEqual(["a"]);
    cluster.add(parseManifests(vs("a"), "<input>", "shop").objects[0]);
    expect(await names()).toEqual(["b", "a"]);
  });
});

import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const C = "proxyconfig.effective";
const deploy = (name: string, ns = "shop", annotations = "{}") => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} }, annotations: ${annotations} }
    spec: { containers: [{ name: ${name}, image: x }] }
---
`;
const pc = (ns: string, name: string, spec: string, created?: string) => `
apiVersion: networking.istio.io/v1beta1
kind: ProxyConfig
metadata: { name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ""} }
spec: ${spec}
---
`;
const mesh = (text: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    ${text}
---
`;
const apps = `${deploy("web")}${deploy("db")}`;
const shop = (equals: unknown, extra: Record<string, unknown> = {}) => ({
  namespace: "shop",
  field: "concurrency",
  equals,
  ...extra,
});

describe("proxyconfig.effective", () => {
  it("nothing sets concurrency by default: the CPU limit decides", async () => {
    await expectFail(C, shop(2), apps, /unset/, /CPU limit/, /no ProxyConfig/);
    await expectPass(C, shop(null), apps);
    await expectPass(C, { field: "concurrency", equals: null }, apps);
  });

  it("a selector-less ProxyConfig in the root namespace applies to the whole mesh", async () => {
    const y = `${apps}${pc("istio-system", "mesh", "{ concurrency: 2 }")}`;
    await expectPass(C, shop(2), y);
    await expectPass(C, { field: "concurrency", equals: 2 }, y);
    await expectPass(C, { field: "concurrency", equals: "2" }, y);
    await expectFail(C, shop(4), y, /ProxyConfig istio-system\/mesh spec\.concurrency \(mesh-wide\)/);
  });

  it("the mesh config defaultConfig is the lowest level", async () => {
    const y = `${apps}${mesh("defaultConfig: { concurrency: 3 }")}`;
    await expectPass(C, shop(3), y);
    await expectFail(C, shop(2), y, /the mesh config defaultConfig\.concurrency/);
    await expectPass(C, shop(2), `${y}${pc("istio-system", "mesh", "{ concurrency: 2 }")}`);
  });

  it("a namespace ProxyConfig overrides the mesh one for its namespace only", async () => {
    const y = `${apps}${deploy("job", "batch")}${pc("istio-system", "mesh", "{ concurrency: 2 }")}${pc("batch", "threads", "{ concurrency: 4 }")}`;
    await expectPass(C, { namespace: "batch", field: "concurrency", equals: 4 }, y);
    await expectPass(C, shop(2), y);
    await expectPass(C, { field: "concurrency", equals: 2 }, y);
    await expectFail(C, shop(4), y, /istio-system\/mesh/, /ProxyConfig batch\/threads is in namespace batch/);
  });

  it("only the oldest selector-less ProxyConfig of a namespace counts", async () => {
    const y = `${apps}${pc("shop", "legacy", "{ concurrency: 1 }", "2025-01-01T00:00:00Z")}${pc("shop", "new", "{ concurrency: 4 }", "2025-06-01T00:00:00Z")}`;
    await expectFail(
      C,
      shop(4),
      y,
      /ProxyConfig shop\/legacy spec\.concurrency/,
      /ProxyConfig shop\/new is ignored: shop already has the older selector-less ProxyConfig shop\/legacy/,
    );
    await expectPass(C, shop(1), y);
  });

  it("a selector picks workloads; in the root namespace it selects pods of the root namespace only", async () => {
    const y = `${apps}${pc("shop", "web-only", "{ selector: { matchLabels: { app: web } }, concurrency: 6 }")}`;
    await expectPass(C, shop(6, { selector: { app: "web" } }), y);
    await expectFail(C, shop(6), y, /Deployment shop\/db gets concurrency unset/);
    const root = `${apps}${pc("istio-system", "mesh", "{ selector: { matchLabels: { app: web } }, concurrency: 2 }")}`;
    await expectFail(
      C,
      shop(2, { selector: { app: "web" } }),
      root,
      /in the root namespace that selects pods of istio-system only/,
    );
  });

  it("a selector with no labels is neither namespace-wide nor selects anything", async () => {
    const y = `${apps}${pc("shop", "empty", "{ selector: {}, concurrency: 4 }")}`;
    await expectFail(C, shop(4), y, /selector with no labels/);
  });

  it("fields merge level by level: environment variables key by key, concurrency from the highest level that sets it", async () => {
    const y = `${apps}${pc("istio-system", "mesh", "{ concurrency: 2, environmentVariables: { A: mesh, B: mesh } }")}${pc("shop", "web", "{ selector: { matchLabels: { app: web } }, environmentVariables: { B: web } }")}`;
    const web = { namespace: "shop", selector: { app: "web" } };
    await expectPass(C, { ...web, field: "concurrency", equals: 2 }, y);
    await expectPass(C, { ...web, field: "environmentVariables.A", equals: "mesh" }, y);
    await expectPass(C, { ...web, field: "environmentVariables.B", equals: "web" }, y);
    await expectPass(
      C,
      { namespace: "shop", selector: { app: "db" }, field: "environmentVariables.B", equals: "mesh" },
      y,
    );
    await expectFail(
      C,
      { namespace: "shop", selector: { app: "db" }, field: "environmentVariables.C", equals: "x" },
      y,
      /unset/,
    );
    await expectPass(C, { namespace: "shop", field: "environmentVariables.C", equals: null }, y);
  });

  it("the pod annotation proxy.istio.io/config sits above the namespace and below a selecting ProxyConfig", async () => {
    const annotated = deploy(
      "web",
      "shop",
      `{ proxy.istio.io/config: "{ concurrency: 3, proxyMetadata: { DNS: 'true' } }" }`,
    );
    const y = `${annotated}${pc("shop", "ns", "{ concurrency: 1 }")}`;
    const web = { namespace: "shop", selector: { app: "web" } };
    await expectPass(C, { ...web, field: "concurrency", equals: 3 }, y);
    await expectPass(C, { ...web, field: "environmentVariables.DNS", equals: "true" }, y);
    await expectFail(
      C,
      { ...web, field: "concurrency", equals: 1 },
      y,
      /the pod annotation proxy\.istio\.io\/config concurrency/,
    );
    const selecting = `${y}${pc("shop", "web", "{ selector: { matchLabels: { app: web } }, concurrency: 8 }")}`;
    await expectPass(C, { ...web, field: "concurrency", equals: 8 }, selecting);
  });

  it("an object the API server refuses counts as absent", async () => {
    const y = `${apps}${pc("shop", "quoted", '{ concurrency: "4" }')}`;
    await expectFail(
      C,
      shop(4),
      y,
      /ProxyConfig shop\/quoted does not exist: spec\.concurrency is "4", which the API server refuses/,
    );
    const env = `${apps}${pc("shop", "env", "{ environmentVariables: { DNS: true } }")}`;
    await expectFail(
      C,
      { namespace: "shop", field: "environmentVariables.DNS", equals: "true" },
      env,
      /values must be strings/,
    );
  });

  it("image.imageType: the highest level with an image decides", async () => {
    const y = `${apps}${pc("istio-system", "mesh", "{ image: { imageType: distroless } }")}${pc("shop", "web", "{ selector: { matchLabels: { app: web } }, image: { imageType: debug } }")}`;
    await expectPass(
      C,
      { namespace: "shop", selector: { app: "db" }, field: "image.imageType", equals: "distroless" },
      y,
    );
    await expectPass(C, { namespace: "shop", selector: { app: "web" }, field: "image.imageType", equals: "debug" }, y);
    await expectPass(C, { namespace: "shop", field: "image.imageType", equals: "default" }, apps);
  });

  it("running pods are graded when there are any; with nothing, a pod with the selector's labels", async () => {
    const pod = `
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: web }] }
status: { phase: Running }
---
`;
    const y = `${pod}${pc("shop", "web", "{ selector: { matchLabels: { app: web } }, concurrency: 4 }")}`;
    await expectPass(C, shop(4, { selector: { app: "web" } }), y);
    await expectFail(
      C,
      shop(4, { selector: { app: "api" } }),
      y,
      /a pod labelled app=api in namespace shop \(none runs yet\)/,
    );
  });

  it("other correct forms: a JSON or multi-line annotation, a quoted int in it, concurrency 0, another root namespace", async () => {
    const web = { namespace: "shop", selector: { app: "web" }, field: "concurrency" };
    const json = deploy("web", "shop", `{ proxy.istio.io/config: '{"concurrency": 4}' }`);
    await expectPass(C, { ...web, equals: 4 }, `${json}${pc("shop", "ns", "{ concurrency: 1 }")}`);
    const block = deploy(
      "web",
      "shop",
      `{ proxy.istio.io/config: "concurrency: '4'\\nproxyMetadata:\\n  DNS: 'true'\\n" }`,
    );
    await expectPass(C, { ...web, equals: 4 }, block);
    await expectPass(C, { ...web, field: "environmentVariables.DNS", equals: "true" }, block);
    // 0 (all cores) set by a higher level overrides a lower 2: it is not "unset"
    const zero = `${apps}${pc("istio-system", "mesh", "{ concurrency: 2 }")}${pc("shop", "ns", "{ concurrency: 0 }")}`;
    await expectPass(C, shop(0), zero);
    await expectFail(C, shop(null), zero, /ProxyConfig shop\/ns spec\.concurrency \(namespace-wide\)/);
    // the mesh config's rootNamespace decides which namespace is mesh-wide
    const root = `${apps}${mesh("rootNamespace: istio-config")}${pc("istio-config", "mesh", "{ concurrency: 2 }")}${pc("istio-system", "old", "{ concurrency: 5 }")}`;
    await expectPass(C, shop(2), root);
    await expectPass(C, { field: "concurrency", equals: 2 }, root);
  });

  it("fails the annotation on the Deployment's own metadata (the injector reads the pod's)", async () => {
    const onDeployment = deploy("web").replace(
      "metadata: { name: web, namespace: shop }",
      `metadata: { name: web, namespace: shop, annotations: { proxy.istio.io/config: "concurrency: 4" } }`,
    );
    await expectFail(
      C,
      { namespace: "shop", selector: { app: "web" }, field: "concurrency", equals: 4 },
      onDeployment,
      /unset/,
    );
  });
});

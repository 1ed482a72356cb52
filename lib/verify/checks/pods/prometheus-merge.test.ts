import { describe, expect, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { webPod } from "../test-objects";
import { predictMerge } from "./prometheus-merge";

const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: ${labels} }\n`;
const deploy = (annotations: string, extra = "") => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: pay, namespace: app }
spec:
  selector: { matchLabels: { app: pay } }
  template:
    metadata:
      labels: { app: pay }
      annotations: ${annotations}
    spec: { containers: [{ name: pay, image: x }${extra}] }
`;
const meshOff = `
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data: { mesh: "enablePrometheusMerge: false" }
`;
const injected = ns("{ istio-injection: enabled }");
const own = '{ prometheus.io/port: "9102", prometheus.io/path: /metrics }';

describe("pods.prometheus-merge", () => {
  it("reads the pods' annotations", async () => {
    const merged = webPod(
      "a",
      "[{ name: istio-proxy }]",
      '{ prometheus.io/port: "15020", prometheus.io/path: /stats/prometheus }',
    );
    const mine = webPod("b", "[{ name: istio-proxy }]", '{ prometheus.io/port: "8080" }');
    await expectPass("pods.prometheus-merge", { namespace: "app", merged: true }, merged);
    await expectPass("pods.prometheus-merge", { namespace: "app", merged: false }, mine);
    await expectFail(
      "pods.prometheus-merge",
      { namespace: "app", merged: false },
      merged,
      /prometheus\.io\/port=15020/,
    );
  });

  it("with no pods, predicts what the injector writes from the template and the mesh config", async () => {
    const p = { namespace: "app", selector: { app: "pay" } };
    await expectPass("pods.prometheus-merge", { ...p, merged: true }, `${injected}---${deploy(own)}`);
    await expectFail(
      "pods.prometheus-merge",
      { ...p, merged: false },
      `${injected}---${deploy(own)}`,
      /enablePrometheusMerge is true/,
    );
    const optOut = deploy(`{ prometheus.istio.io/merge-metrics: "false", prometheus.io/port: "9102" }`);
    await expectPass("pods.prometheus-merge", { ...p, merged: false }, `${injected}---${optOut}`);
    await expectPass("pods.prometheus-merge", { ...p, merged: false }, `${injected}---${deploy(own)}---${meshOff}`);
    // the pod's own "true" wins over nothing else: merging off mesh-wide stays off only without it
    const optIn = deploy(`{ prometheus.istio.io/merge-metrics: "true" }`);
    await expectPass("pods.prometheus-merge", { ...p, merged: true }, `${injected}---${optIn}---${meshOff}`);
    // not injected: nothing is rewritten
    await expectFail("pods.prometheus-merge", { ...p, merged: true }, `${ns("{}")}---${deploy(own)}`, /no sidecar/);
    // a label is not the annotation
    const label = deploy(own).replace(
      "labels: { app: pay }",
      'labels: { app: pay, prometheus.istio.io/merge-metrics: "false" }',
    );
    await expectFail("pods.prometheus-merge", { ...p, merged: false }, `${injected}---${label}`);
  });
});

describe("predictMerge", () => {
  it("reads prometheus.io/scrape as the injector does: any spelling of the name, any value ParseBool reads as false", () => {
    expect(predictMerge(true, { "prometheus.io/scrape": "False" }).merged).toBe(false);
    expect(predictMerge(true, { "prometheus-io/scrape": "0" }).merged).toBe(false);
    expect(predictMerge(true, { "prometheus.io/scrape": "true" }).merged).toBe(true);
    expect(predictMerge(true, { "prometheus.io/scrape": "no" }).merged).toBe(true); // not a bool: ignored
  });
});

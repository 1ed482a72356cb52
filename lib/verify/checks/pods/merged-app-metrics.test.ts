import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { webPod } from "../test-objects";

const C = "pods.merged-app-metrics";
const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: ${labels} }\n---\n`;
const injected = ns("{ istio-injection: enabled }");
const deploy = (annotations: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ledger, namespace: app }
spec:
  selector: { matchLabels: { app: ledger } }
  template:
    metadata:
      labels: { app: ledger }
      annotations: ${annotations}
    spec: { containers: [{ name: ledger, image: x }] }
---
`;
const meshOff = `
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data: { mesh: "enablePrometheusMerge: false" }
---
`;
const want = { namespace: "app", selector: { app: "ledger" }, port: 8081, path: "/actuator/prometheus" };
const own = '{ prometheus.io/scrape: "true", prometheus.io/port: "8081", prometheus.io/path: /actuator/prometheus }';
const merged = '{ prometheus.io/scrape: "true", prometheus.io/port: "15020", prometheus.io/path: /stats/prometheus }';
const proxy = (env?: string) =>
  `[{ name: ledger }, { name: istio-proxy, env: [{ name: PROXY_CONFIG, value: "{}" }${env ? `, { name: ISTIO_PROMETHEUS_ANNOTATIONS, value: '${env}' }` : ""}] }]`;
const pod = (containers: string, annotations: string) =>
  webPod("ledger-1", containers, annotations).replace("labels: { app: web }", "labels: { app: ledger }");

describe("pods.merged-app-metrics", () => {
  it("reads the injected pods: merged annotations and the env the injector wrote", async () => {
    const good = pod(proxy('{"scrape":"true","port":"8081","path":"/actuator/prometheus"}'), merged);
    await expectPass(C, want, good);
    const wrong = pod(proxy('{"scrape":"true","port":"8080","path":"/metrics"}'), merged);
    await expectFail(
      C,
      want,
      wrong,
      /merges the app's metrics from :8080\/metrics/,
      /expected .*:8081\/actuator\/prometheus/,
    );
    await expectFail(C, want, pod(proxy(), merged), /no ISTIO_PROMETHEUS_ANNOTATIONS/);
    await expectFail(C, want, pod(proxy(), own), /metrics are not merged \(prometheus\.io\/port is 8081\)/);
    await expectFail(C, want, pod("[{ name: ledger }]", own), /no sidecar/);
  });

  it("a recorded endpoint without port or path means port 80 and /metrics", async () => {
    await expectPass(C, { ...want, port: 80, path: "/metrics" }, pod(proxy('{"scrape":"true"}'), merged));
    await expectPass(C, { ...want, path: "/metrics" }, pod(proxy('{"port":"8081"}'), merged));
    await expectFail(C, want, pod(proxy('{"scrape":"false","port":"8081"}'), merged), /scrape "false"/);
  });

  it("with no pods, predicts what the injector writes from the pod template", async () => {
    await expectPass(C, want, `${injected}${deploy(own)}`);
    // without prometheus.io/scrape the injector still records port and path
    await expectPass(
      C,
      want,
      `${injected}${deploy('{ prometheus.io/port: "8081", prometheus.io/path: /actuator/prometheus }')}`,
    );
    await expectFail(
      C,
      want,
      `${injected}${deploy('{ prometheus.io/port: "8080", prometheus.io/path: /metrics }')}`,
      /:8080\/metrics/,
    );
    // the template names the agent's port already: the injector changes nothing and records nothing
    await expectFail(C, want, `${injected}${deploy(merged)}`, /no ISTIO_PROMETHEUS_ANNOTATIONS/);
    await expectFail(
      C,
      want,
      `${injected}${deploy('{ prometheus.io/port: "15020", prometheus.io/path: /actuator/prometheus }')}`,
      /agent serves the merged metrics at \/stats\/prometheus only/,
    );
    await expectFail(C, want, `${injected}${deploy("{}")}`, /no ISTIO_PROMETHEUS_ANNOTATIONS/);
  });

  it("merging off (pod opt-out, mesh config) or no sidecar fails", async () => {
    const optOut = deploy(
      `{ prometheus.istio.io/merge-metrics: "false", prometheus.io/port: "8081", prometheus.io/path: /actuator/prometheus }`,
    );
    await expectFail(C, want, `${injected}${optOut}`, /not merged/, /merge-metrics/);
    await expectFail(C, want, `${injected}${deploy(own)}${meshOff}`, /enablePrometheusMerge is false/);
    await expectFail(C, want, `${ns("{}")}${deploy(own)}`, /no sidecar/);
    await expectFail(C, { ...want, selector: { app: "other" } }, `${injected}${deploy(own)}`, /no pods or Deployments/);
  });

  it("reads prometheus.io annotation variants as the injector does", async () => {
    await expectPass(
      C,
      want,
      `${injected}${deploy('{ prometheus-io/port: "8081", prometheus-io/path: /actuator/prometheus }')}`,
    );
  });

  it("prometheus.io/scrape false in any spelling the injector reads (ParseBool, annotation variants) stops merging", async () => {
    for (const scrape of [
      'prometheus.io/scrape: "False"',
      'prometheus-io/scrape: "false"',
      'prometheus.io/scrape: "0"',
    ])
      await expectFail(
        C,
        want,
        `${injected}${deploy(`{ ${scrape}, prometheus.io/port: "8081", prometheus.io/path: /actuator/prometheus }`)}`,
        /not merged/,
        /scrape/,
      );
    // "True" is true too: merged as with "true"
    await expectPass(
      C,
      want,
      `${injected}${deploy('{ prometheus.io/scrape: "True", prometheus.io/port: "8081", prometheus.io/path: /actuator/prometheus }')}`,
    );
  });
});

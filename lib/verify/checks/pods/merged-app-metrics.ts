// pods.merged-app-metrics: with Istio's metrics merging, where the agent fetches the app's own
// metrics from (the istio-proxy env ISTIO_PROMETHEUS_ANNOTATIONS the injector writes).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { annotationsOf, arr, describeObject, labelsOf, type Rec, rec, str } from "../../../istio/fields";
import { isPodRunningOrPending, proxyPresence, templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { readMeshConfig } from "../../../istio/mesh-config";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZLabels, ZNamespace, ZPort } from "../common";
import { predictInjection } from "../predict-injection";
import { predictMerge, promAnnotation, sanitized } from "./prometheus-merge";

const ENV = "ISTIO_PROMETHEUS_ANNOTATIONS";
const STATUS_PORT = "15020";
const MERGED_PATH = "/stats/prometheus";

interface Scrape {
  scrape?: string;
  port?: string;
  path?: string;
}

/** The pod's state as metrics merging sees it: its prometheus.io annotations and the agent's env. */
interface Seen {
  object: KubeObject;
  injected: boolean;
  annotations: Record<string, string>;
  /** the env the injector wrote; undefined when there is none */
  env?: string;
  /** said when the state is predicted from a template */
  predicted?: string;
}

function proxyEnv(podSpec: unknown): string | undefined {
  const spec = rec(podSpec);
  const proxy = [...arr(spec.containers), ...arr(spec.initContainers)].map(rec).find((c) => c.name === "istio-proxy");
  const entry = arr(proxy?.env)
    .map(rec)
    .find((e: Rec) => e.name === ENV);
  return entry ? (str(entry.value) ?? "") : undefined;
}

export const podsMergedAppMetrics = defineCheck({
  name: "pods.merged-app-metrics",
  description:
    "With Istio's metrics merging, where the agent of each pod fetches the app's own metrics: Prometheus scrapes the pod at :15020/stats/prometheus, and the agent adds the app's metrics from the port and path the injector recorded in the istio-proxy env ISTIO_PROMETHEUS_ANNOTATIONS (the pod template's prometheus.io/port and path; a missing port means 80, a missing path /metrics). Fails when merging is off (mesh config, the pod's prometheus.istio.io/merge-metrics, or prometheus.io/scrape false in any spelling the injector reads: `False`, `0`, `prometheus-io/scrape`; the app's endpoint is then scraped directly, without Istio's metrics), when the injector recorded nothing (no prometheus.io annotations, or prometheus.io/port already 15020), or when the recorded endpoint is not the expected one. With no pods (graded from files), it predicts what the injector writes from the Deployments' pod templates and the mesh config.",
  params: z.strictObject({
    namespace: ZNamespace,
    selector: ZLabels.optional().describe("pod labels of the workload; all of the namespace when absent"),
    port: ZPort.describe("the app's metrics port"),
    path: z.string().startsWith("/").default("/metrics").describe("the app's metrics path"),
  }),
  example: { namespace: "shop", selector: { app: "ledger" }, port: 8081, path: "/actuator/prometheus" },
  kinds: [K.pod, K.deployment, K.namespace, K.configMap],
  run(p, { snapshot }) {
    const sel = p.selector ?? {};
    const scope = `${p.selector ? `labelled ${formatLabels(sel)} ` : ""}in namespace ${p.namespace}`;
    const pods = snapshot
      .list(K.pod, p.namespace)
      .filter((pod) => isPodRunningOrPending(pod) && matchesLabels(sel, labelsOf(pod)));
    let seen: Seen[];
    if (pods.length > 0) {
      seen = pods.map((pod) => ({
        object: pod,
        injected: proxyPresence(pod.spec, annotationsOf(pod)).injected,
        annotations: annotationsOf(pod),
        env: proxyEnv(pod.spec),
      }));
    } else {
      const workloads = snapshot
        .list(K.deployment, p.namespace)
        .filter((d) => matchesLabels(sel, templateOf(d).labels));
      if (workloads.length === 0) return fail(`no pods or Deployments ${scope}`);
      const mesh = readMeshConfig(snapshot.list(K.configMap, "istio-system"));
      const ns = snapshot.get(K.namespace, p.namespace);
      seen = workloads.map((w) => predictPod(w, ns, mesh.config.enablePrometheusMerge !== false));
    }
    const want = `:${p.port}${p.path}`;
    const problems = seen.map((s) => ({ s, problem: problemOf(s, String(p.port), p.path) }));
    const wrong = problems.filter((x) => x.problem !== undefined);
    if (wrong.length > 0)
      return fail(
        `${wrong
          .slice(0, 3)
          .map((x) => `${describeObject(x.s.object)}${x.s.predicted ? ` (${x.s.predicted})` : ""}: ${x.problem}`)
          .join("; ")}; expected the agent to merge the app's metrics from ${want}`,
        wrong.map((x) =>
          x.s.predicted
            ? evidenceOf(x.s.object, "spec.template.metadata.annotations", x.s.annotations)
            : evidenceOf(x.s.object, "metadata.annotations", x.s.annotations),
        ),
      );
    const who = seen.length === 1 ? describeObject(seen[0].object) : `all ${seen.length} pods ${scope}`;
    const how = seen[0].predicted ? ` (${seen[0].predicted})` : "";
    return pass(
      `${who}${how}: Prometheus scrapes :${STATUS_PORT}${MERGED_PATH}, and the agent merges the app's metrics from ${want} (${ENV})`,
    );
  },
});

/** What the injector would make of a Deployment's pod template (pkg/kube/inject applyPrometheusMerge). */
function predictPod(w: KubeObject, ns: KubeObject | undefined, meshMerge: boolean): Seen {
  const t = templateOf(w);
  const injection = predictInjection(w, ns);
  const base = { object: w, annotations: t.annotations };
  if (!injection.injected) return { ...base, injected: false, predicted: `no pods yet; ${injection.reason}` };
  if (injection.reason.startsWith("its template already has"))
    return { ...base, injected: true, env: proxyEnv(t.spec), predicted: "no pods yet; its template holds the proxy" };
  const merge = predictMerge(meshMerge, t.annotations);
  const predicted = `no pods yet; as the injector would write them: ${merge.reason}`;
  if (!merge.merged) return { ...base, injected: true, predicted };
  const scrape: Scrape = {
    scrape: promAnnotation(t.annotations, "scrape"),
    port: promAnnotation(t.annotations, "port"),
    path: promAnnotation(t.annotations, "path"),
  };
  // the template already points at the agent: the injector takes it as merged and changes nothing
  if (scrape.port === STATUS_PORT) return { ...base, injected: true, predicted };
  const recorded = Object.values(scrape).some((v) => v !== undefined) ? JSON.stringify(scrape) : undefined;
  const annotations = Object.fromEntries(
    Object.entries(t.annotations).filter(([k]) => !/^prometheus_io_(scrape|port|path)$/.test(sanitized(k))),
  );
  return {
    ...base,
    injected: true,
    annotations: {
      ...annotations,
      "prometheus.io/port": STATUS_PORT,
      "prometheus.io/path": MERGED_PATH,
      "prometheus.io/scrape": "true",
    },
    env: recorded,
    predicted,
  };
}

/** Why the agent of this pod does not merge the app's metrics from :port/path, if it does not. */
function problemOf(s: Seen, port: string, path: string): string | undefined {
  const annPort = promAnnotation(s.annotations, "port");
  const annPath = promAnnotation(s.annotations, "path");
  const direct = `:${annPort ?? "?"}${annPath ?? "/metrics"}`;
  if (!s.injected) return `no sidecar, so no merging: Prometheus scrapes the app directly at ${direct}`;
  if (annPort !== STATUS_PORT)
    return `metrics are not merged (prometheus.io/port is ${annPort ?? "unset"}): Prometheus scrapes ${direct} directly and misses Istio's metrics`;
  if (annPath !== MERGED_PATH)
    return `prometheus.io/port is ${STATUS_PORT} but prometheus.io/path is ${annPath ?? "unset"}: the agent serves the merged metrics at ${MERGED_PATH} only`;
  if (s.env === undefined)
    return `the istio-proxy container has no ${ENV}, so the agent merges no app metrics (the injector records the pod template's prometheus.io annotations there, and records nothing when they already name port ${STATUS_PORT} or are absent)`;
  let scrape: Scrape;
  try {
    const parsed: unknown = JSON.parse(s.env);
    scrape = rec(parsed) as Scrape;
  } catch {
    return `${ENV} is not JSON (${s.env}): the agent does not start`;
  }
  if (scrape.scrape === "false") return `${ENV} says scrape "false": the agent merges no app metrics`;
  const gotPort = scrape.port || "80";
  const gotPath = scrape.path || "/metrics";
  if (gotPort !== port || gotPath !== path)
    return `the agent merges the app's metrics from :${gotPort}${gotPath} (${ENV}=${s.env})`;
  return undefined;
}

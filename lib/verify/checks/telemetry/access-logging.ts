// telemetry.access-logging: does a workload log access? The effect of the Telemetry API and the
// mesh config together, as istiod computes it for each sidecar.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { describeObject, labelsOf } from "../../../istio/fields";
import { isPodRunningOrPending, templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { readMeshConfig } from "../../../istio/mesh-config";
import { type AccessLogSink, accessLogging, describeSinks } from "../../../istio/telemetry";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZLabels, ZNamespace } from "../common";

const DIRECTIONS = { both: ["inbound", "outbound"], inbound: ["inbound"], outbound: ["outbound"] } as const;

export const telemetryAccessLogging = defineCheck({
  name: "telemetry.access-logging",
  description:
    "Whether the workloads of a namespace (those whose pods match `selector`) log access, as istiod decides it: the Telemetry API (root namespace, then namespace, then workload selector; `accessLogging` providers such as the built-in `envoy` file log, `disabled: true`, `match.mode`) takes precedence; only when no Telemetry with accessLogging applies (and the mesh has no defaultProviders.accessLogging) does the mesh config `accessLogFile` decide. `enableEnvoyAccessLogService` streams logs over gRPC and writes no file: it counts only with `streamed: true`. With no pods (graded from files), the Deployments' pod templates give the labels.",
  params: z.strictObject({
    namespace: ZNamespace,
    selector: ZLabels.optional().describe(
      "pod labels of the workloads, e.g. { app: httpbin }; all of the namespace when absent",
    ),
    enabled: z.boolean().default(true).describe("true: every such workload logs; false: none does"),
    direction: z
      .enum(["both", "inbound", "outbound"])
      .default("both")
      .describe("which requests: inbound (received, SERVER), outbound (sent, CLIENT), or both"),
    path: z.string().min(1).optional().describe("the log file the task names, e.g. /dev/stdout"),
    streamed: z.boolean().default(false).describe("count logs streamed to a collector (gRPC ALS, OpenTelemetry) too"),
  }),
  example: { namespace: "shop", selector: { app: "reviews" }, enabled: true, path: "/dev/stdout" },
  kinds: [K.telemetry, K.configMap, K.pod, K.deployment],
  run(p, { snapshot }) {
    const mesh = readMeshConfig(snapshot.list(K.configMap, "istio-system"));
    if (mesh.problem && mesh.source) return fail(mesh.problem);
    const sel = p.selector ?? {};
    const scope = `${p.selector ? `labelled ${formatLabels(sel)} ` : ""}in namespace ${p.namespace}`;
    const pods = snapshot
      .list(K.pod, p.namespace)
      .filter((pod) => isPodRunningOrPending(pod) && matchesLabels(sel, labelsOf(pod)));
    const workloads: { object: KubeObject; labels: Record<string, string> }[] =
      pods.length > 0
        ? pods.map((pod) => ({ object: pod, labels: labelsOf(pod) }))
        : snapshot
            .list(K.deployment, p.namespace)
            .map((d) => ({ object: d, labels: templateOf(d).labels }))
            .filter((w) => matchesLabels(sel, w.labels));
    if (workloads.length === 0) return fail(`no pods or Deployments ${scope}`);
    const telemetries = snapshot.list(K.telemetry);
    const counts = (s: AccessLogSink) => (s.kind === "file" ? p.path === undefined || s.file === p.path : p.streamed);
    const wrong: string[] = [];
    const evidence = [];
    for (const w of workloads) {
      const v = accessLogging(mesh.config, telemetries, p.namespace, w.labels);
      for (const direction of DIRECTIONS[p.direction]) {
        const sinks = v[direction];
        const logs = sinks.some(counts);
        if (logs === p.enabled) continue;
        const what = direction === "inbound" ? "requests it receives" : "requests it sends";
        const where = p.path && p.enabled ? ` to ${p.path}` : "";
        wrong.push(
          `${describeObject(w.object)} ${p.enabled ? "does not log" : "logs"} the ${what}${where}: ${describeSinks(sinks)}; ${v.reason}`,
        );
        evidence.push(evidenceOf(w.object, "metadata.labels", w.labels));
        break;
      }
    }
    if (wrong.length > 0) return fail(wrong.slice(0, 3).join("; "), evidence);
    const sample = accessLogging(mesh.config, telemetries, p.namespace, workloads[0].labels);
    const who =
      workloads.length === 1
        ? `${describeObject(workloads[0].object)} ${p.enabled ? "logs" : "does not log"}`
        : `all ${workloads.length} workloads ${scope} ${p.enabled ? "log" : "do not log"}`;
    return pass(`${who} access (${describeSinks(sample.inbound)}); ${sample.reason}`);
  },
});

// The Prober of a live cluster: curl run by exec in the prober pod (namespace ica-prober, the
// only namespace where the grader credential may exec) and access logs read as text (pods/log).
import { Writable } from "node:stream";
import { Exec, type KubeConfig } from "@kubernetes/client-node";
import { K } from "../kinds";
import type { AccessLogQuery, Cluster, ClusterResult, KubeObject, ProbeAnswer, ProbeRequest, Prober } from "../types";
import { parseProbeOutput, probeScript } from "./probe-script";
import { PLAIN_PROBER_APP, PROBER_APP, PROBER_NAMESPACE } from "./prober-manifests";

/** Reads one text resource (a pod's log) with the cluster's credential. */
export type ReadText = (path: string) => Promise<ClusterResult<string>>;

export function createKubeProber(kc: KubeConfig, cluster: Pick<Cluster, "list">, readText: ReadText): Prober {
  return {
    async send(request: ProbeRequest): Promise<ClusterResult<ProbeAnswer[]>> {
      const app = request.isPlainText ? PLAIN_PROBER_APP : PROBER_APP;
      const pod = await runningPod(cluster, PROBER_NAMESPACE, { app });
      if (!pod.ok) return pod;
      const perRequest = (request.timeoutSeconds ?? 10) + 2;
      const limitMs = (request.count * perRequest + 20) * 1000;
      const out = await execText(kc, pod.value, "curl", probeScript(request), limitMs);
      return out.ok ? { ok: true, value: parseProbeOutput(out.value) } : out;
    },
    async accessLog(query: AccessLogQuery): Promise<ClusterResult<string[]>> {
      const pods = await cluster.list(K.pod, query.namespace);
      if (!pods.ok) return pods;
      const lines: string[] = [];
      for (const p of pods.value.filter((o) => matches(o.metadata.labels, query.labels) && isRunning(o))) {
        const path = `/api/v1/namespaces/${query.namespace}/pods/${p.metadata.name}/log?container=istio-proxy&sinceSeconds=${Math.ceil(query.sinceSeconds)}`;
        const text = await readText(path);
        if (!text.ok) return text;
        lines.push(...text.value.split("\n").filter((l) => l.trim() !== ""));
      }
      return { ok: true, value: lines };
    },
  };
}

function matches(labels: Record<string, string> | undefined, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => labels?.[k] === v);
}

function isRunning(o: KubeObject): boolean {
  return (o.status as { phase?: string } | undefined)?.phase === "Running";
}

async function runningPod(
  cluster: Pick<Cluster, "list">,
  namespace: string,
  labels: Record<string, string>,
): Promise<ClusterResult<string>> {
  const pods = await cluster.list(K.pod, namespace);
  if (!pods.ok) return pods;
  const pod = pods.value.find((o) => matches(o.metadata.labels, labels) && isRunning(o));
  if (pod) return { ok: true, value: pod.metadata.name };
  const message = `no running prober pod (app=${labels.app}) in namespace ${namespace}: bring the cluster up again (npm run cluster -- up) to deploy it`;
  return { ok: false, failure: { reason: "not-found", message } };
}

function execText(kc: KubeConfig, pod: string, container: string, script: string, limitMs: number) {
  return new Promise<ClusterResult<string>>((resolve) => {
    let out = "";
    let err = "";
    const sink = (append: (s: string) => void) =>
      new Writable({
        write(chunk, _enc, done) {
          append(String(chunk));
          done();
        },
      });
    const timer = setTimeout(() => {
      const message = `the prober in ${PROBER_NAMESPACE}/${pod} did not finish within ${limitMs / 1000}s`;
      resolve({ ok: false, failure: { reason: "unreachable", message } });
    }, limitMs);
    new Exec(kc)
      .exec(
        PROBER_NAMESPACE,
        pod,
        container,
        ["sh", "-c", script],
        sink((s) => {
          out += s;
        }),
        sink((s) => {
          err += s;
        }),
        null,
        false,
        (status) => {
          clearTimeout(timer);
          if (status.status === "Success" || out.includes("@@ica-probe")) resolve({ ok: true, value: out });
          else {
            const message = `exec in ${PROBER_NAMESPACE}/${pod}: ${status.message ?? status.status} ${err.trim()}`;
            resolve({ ok: false, failure: { reason: "unreachable", message } });
          }
        },
      )
      // an API server that closes without a status: what was printed is the answer
      .then((ws) =>
        ws.on("close", () => {
          clearTimeout(timer);
          if (out.includes("@@ica-probe")) resolve({ ok: true, value: out });
          else
            resolve({
              ok: false,
              failure: { reason: "unreachable", message: `exec in ${PROBER_NAMESPACE}/${pod} closed: ${err.trim()}` },
            });
        }),
      )
      .catch((e: unknown) => {
        clearTimeout(timer);
        const text = e instanceof Error ? e.message : String(e);
        const reason = /403|forbidden/i.test(text) ? "forbidden" : "unreachable";
        resolve({ ok: false, failure: { reason, message: `exec in ${PROBER_NAMESPACE}/${pod}: ${text}` } });
      });
  });
}

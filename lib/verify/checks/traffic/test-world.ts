// Test helper: recorded prober answers (curl output, access logs) and grading a traffic check
// through the real engine on a cluster with a data plane whose prober replays them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FileCluster, parseManifests } from "../../../cluster/file-cluster";
import { parseProbeOutput } from "../../../cluster/prober/probe-script";
import type { AccessLogQuery, Cluster, KubeObject, ProbeAnswer, ProbeRequest, Prober } from "../../../cluster/types";
import { runChecks } from "../../engine";
import type { CheckResult } from "../../types";

export function fixture(name: string): string {
  return readFileSync(join(__dirname, "fixtures", name), "utf8");
}

export function answersOf(name: string): ProbeAnswer[] {
  return parseProbeOutput(fixture(name));
}

/** Access log lines of a fixture with its recorded User-Agent tag replaced by the one this run sent. */
export function logLinesOf(name: string, userAgent: string): string[] {
  return fixture(name)
    .replaceAll("ica-prober/rec0rded", userAgent)
    .split("\n")
    .filter((l) => l.trim() !== "");
}

export interface ReplayProber extends Prober {
  sent: ProbeRequest[];
  queries: AccessLogQuery[];
}

/** Answers each send with the next recorded output; access logs per pod label `app`/`version`. */
export function replayProber(
  outputs: string[],
  logs: (query: AccessLogQuery, lastUserAgent: string) => string[] = () => [],
): ReplayProber {
  const sent: ProbeRequest[] = [];
  const queries: AccessLogQuery[] = [];
  return {
    sent,
    queries,
    async send(request) {
      sent.push(request);
      return { ok: true, value: parseProbeOutput(fixture(outputs[sent.length - 1] ?? outputs[outputs.length - 1])) };
    },
    async accessLog(query) {
      queries.push(query);
      return { ok: true, value: logs(query, sent[sent.length - 1]?.userAgent ?? "") };
    },
  };
}

export async function gradeTraffic(
  use: string,
  params: Record<string, unknown>,
  yaml: string,
  prober: Prober | undefined,
  dataPlane = true,
): Promise<CheckResult> {
  const { objects, errors } = parseManifests(yaml, "<test>", "shop");
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("\n"));
  const files = new FileCluster(objects as KubeObject[]);
  const cluster: Cluster = {
    name: dataPlane ? "kind" : "lite",
    capabilities: { dataPlane },
    prober,
    list: (k, ns) => files.list(k, ns),
    get: (k, n, ns) => files.get(k, n, ns),
  };
  const [result] = await runChecks(cluster, [{ id: use, use, with: params }]);
  return result;
}

export const HELLOWORLD = `
apiVersion: v1
kind: Service
metadata: { name: helloworld, namespace: shop }
spec:
  selector: { app: helloworld }
  ports: [ { name: http, port: 5000 } ]
`;

export const HTTPBIN = `
apiVersion: v1
kind: Service
metadata: { name: httpbin, namespace: shop }
spec:
  selector: { app: httpbin }
  ports: [ { name: http, port: 8000, targetPort: 8080 } ]
`;

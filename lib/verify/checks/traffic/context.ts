// What the traffic checks share: the target of the requests (a Service's host and port), sending
// them from the prober, reading access logs, and words for what was observed. The judging itself
// is in each check's pure `judge*` function, tested on recorded answers.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { PROBER_APP, PROBER_NAMESPACE } from "../../../cluster/prober/prober-manifests";
import type { AccessLogQuery, ProbeAnswer, ProbeRequest } from "../../../cluster/types";
import { type AccessLogEntry, parseAccessLog } from "../../../istio/access-log";
import type { CheckContext, Snapshot } from "../../types";
import { hostParam, ZHostParam, ZNamespace, ZPort } from "../common";

export const PROBER_USER_AGENT = "ica-prober";

/** Where requests go: a Service of the mesh, as a client in the prober namespace calls it. */
export const ZTarget = {
  host: ZHostParam,
  namespace: ZNamespace,
  port: ZPort.optional().describe("the Service port; default its first port"),
  path: z.string().startsWith("/").default("/").describe("request path"),
  method: z.string().optional().describe("default GET"),
  headers: z.record(z.string(), z.string()).optional().describe("request headers"),
};
export const ZTargetObject = z.object(ZTarget);
export type TTarget = z.infer<typeof ZTargetObject>;

/** The URL, or why none: the Service must exist for the sidecar to route to it. */
export function targetUrl(t: TTarget, snapshot: Snapshot): { url: string; text: string } | { missing: string } {
  const host = hostParam(t.host, t.namespace);
  const [name, ns] = host.resolved.split(".");
  const service = snapshot.get(K.service, name, ns);
  const ports = ((service?.spec as { ports?: { port?: number }[] } | undefined)?.ports ?? []).map((p) => p.port);
  const port = t.port ?? ports[0];
  if (!service || port === undefined)
    return { missing: `no Service ${ns}/${name} with a port, so no request was sent to ${host.text}` };
  const text = `${t.method ?? "GET"} ${name}.${ns}:${port}${t.path}`;
  return { url: `http://${host.resolved}:${port}${t.path}`, text };
}

/** A tag no earlier run used, so access log lines of this run are told apart. */
export function newUserAgent(): string {
  return `${PROBER_USER_AGENT}/${randomBytes(4).toString("hex")}`;
}

/** Sends through the cluster's prober; a prober that cannot run is an error (thrown), never a fail. */
export async function send(ctx: CheckContext, request: ProbeRequest): Promise<ProbeAnswer[]> {
  if (!ctx.prober) throw new Error("this cluster has no prober to send requests from");
  const r = await ctx.prober.send(request);
  if (!r.ok) throw new Error(`the prober could not send requests (${r.failure.reason}): ${r.failure.message}`);
  return r.value;
}

export function requestOf(t: TTarget, url: string, count: number, timeoutSeconds: number): ProbeRequest {
  return { url, count, method: t.method, headers: t.headers, timeoutSeconds, userAgent: newUserAgent() };
}

/** How long to wait before reading access logs: Envoy flushes its log about once a second (tests set 0). */
export const accessLogFlush = { ms: 2000 };

/** Access log entries of the pods a query selects. */
export async function readAccessLog(ctx: CheckContext, query: AccessLogQuery): Promise<AccessLogEntry[]> {
  if (!ctx.prober) throw new Error("this cluster has no prober to read access logs with");
  await new Promise((r) => setTimeout(r, accessLogFlush.ms));
  const r = await ctx.prober.accessLog({ ...query, sinceSeconds: query.sinceSeconds + 2 });
  if (!r.ok) throw new Error(`cannot read the access log (${r.failure.reason}): ${r.failure.message}`);
  return parseAccessLog(r.value);
}

/** Entries of requests this run sent (their User-Agent is `<tag>/<n>`). */
export function entriesOf(entries: readonly AccessLogEntry[], userAgent: string): AccessLogEntry[] {
  return entries.filter((e) => e.userAgent.startsWith(`${userAgent}/`));
}

/** "200 ×9, 503 ×1, no answer ×1 (curl exit 28)" */
export function describeAnswers(answers: readonly ProbeAnswer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = a.status === 0 ? `no answer (curl exit ${a.curlExit})` : String(a.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ×${n}`).join(", ") || "nothing";
}

export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10;
}

/** An observed share against the expected one: 0 and 100 are exact (Istio is), others within the tolerance. */
export function isShareWithin(observed: number, expected: number, tolerance: number): boolean {
  if (expected === 0) return observed === 0;
  if (expected === 100) return observed === 100;
  return Math.abs(observed - expected) <= tolerance;
}

/** Seconds the access log must cover: the time since the requests started, rounded up. */
export function secondsSince(startedMs: number): number {
  return Math.ceil((Date.now() - startedMs) / 1000) + 1;
}

/**
 * Sends the request, then reads what it left in the access logs: this run's lines at the target
 * pods and at the prober's own sidecar (which tells "not logged" from "not sent").
 */
export async function sendAndReadLogs(
  ctx: CheckContext,
  request: ProbeRequest,
  target: Pick<AccessLogQuery, "namespace" | "labels">,
): Promise<{ atTarget: AccessLogEntry[]; atProber: AccessLogEntry[] }> {
  const started = Date.now();
  await send(ctx, request);
  const sinceSeconds = secondsSince(started);
  const atTarget = await readAccessLog(ctx, { ...target, sinceSeconds });
  const atProber = await readAccessLog(ctx, {
    namespace: PROBER_NAMESPACE,
    labels: { app: PROBER_APP },
    sinceSeconds,
  });
  return { atTarget: entriesOf(atTarget, request.userAgent), atProber: entriesOf(atProber, request.userAgent) };
}

// Shared parameter schemas and outcome helpers for the built-in checks.
import { z } from "zod";
import { K } from "../../cluster/kinds";
import type { KubeObject } from "../../cluster/types";
import { parseDuration } from "../../istio/duration";
import { describeObject } from "../../istio/fields";
import { describeHost, resolveHost } from "../../istio/hosts";
import { type SampleRequest, sampleRequest } from "../../istio/http-match";
import { readMeshConfig } from "../../istio/mesh-config";
import { MESH_GATEWAY, resolveGatewayRef } from "../../istio/virtual-service";
import type { CheckOutcome, Evidence, Snapshot } from "../types";

export function pass(message: string, evidence?: Evidence[]): CheckOutcome {
  return { status: "pass", message, evidence };
}

export function fail(message: string, evidence?: Evidence[]): CheckOutcome {
  return { status: "fail", message, evidence };
}

export function evidenceOf(o: KubeObject, field?: string, value?: unknown): Evidence {
  return { kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, field, value };
}

export { describeObject };

/** A number, also written as a numeric string (a scenario var may render as "50"). */
const numeric = (v: unknown): unknown =>
  typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v;

export const ZPercent = z.preprocess(numeric, z.number().min(0).max(100));
export const ZNumber = z.preprocess(numeric, z.number());
export const ZInt = z.preprocess(numeric, z.number().int());
export const ZPort = z.preprocess(numeric, z.number().int().min(1).max(65535));
export const ZNamespace = z.string().min(1).describe("namespace");
export const ZHostParam = z.string().min(1).describe("the host: a short name (resolved in `namespace`) or an FQDN");
export const ZDurationParam = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, "expected a duration like 5s, 0.5s or 500ms");
/** Labels; numbers and booleans are taken as their text (YAML `version: 1`). */
export const ZLabels = z.record(
  z.string(),
  z.preprocess((v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v), z.string()),
);
export const ZStringList = z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string().min(1)));

export const ZRequest = z
  .strictObject({
    path: z.string().startsWith("/").optional().describe("request path, default /"),
    method: z.string().optional().describe("default GET"),
    headers: z.record(z.string(), z.string()).optional(),
    query: z.record(z.string(), z.string()).optional().describe("query parameters"),
    port: ZPort.optional().describe("service port; matches on `port` are ignored when omitted"),
    authority: z.string().optional(),
    sourceLabels: ZLabels.optional().describe("labels of the calling workload (for sourceLabels matches)"),
  })
  .describe("a sample request; the rule it hits is graded, so any equivalent match passes");

export type TRequest = z.infer<typeof ZRequest>;

/** The sample request a client in `fromNamespace` sends through `gateway` (default: sidecars). */
export function requestOf(
  req: TRequest | undefined,
  fromNamespace: string,
  gateway?: string,
  namespace?: string,
): SampleRequest {
  return sampleRequest({
    uri: req?.path,
    method: req?.method,
    headers: req?.headers,
    queryParams: req?.query,
    port: req?.port,
    authority: req?.authority,
    sourceLabels: req?.sourceLabels,
    sourceNamespace: fromNamespace,
    gateway: gateway ? resolveGatewayRef(gateway, namespace ?? fromNamespace) : MESH_GATEWAY,
  });
}

export function hostParam(host: string, namespace: string): { written: string; resolved: string; text: string } {
  const resolved = resolveHost(host, namespace);
  return { written: host, resolved, text: describeHost(host, resolved) };
}

export function rootNamespace(snapshot: Snapshot): string {
  const mesh = readMeshConfig(snapshot.list(K.configMap));
  return typeof mesh.config.rootNamespace === "string" ? mesh.config.rootNamespace : "istio-system";
}

/** `a`, `a and b`, `a, b and c` */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A name if given, else every object of the kind in the namespace: "the one named X" or "any". */
export function candidates(objects: readonly KubeObject[], name: string | undefined): KubeObject[] {
  return name === undefined ? [...objects] : objects.filter((o) => o.metadata.name === name);
}

/** "no Gateway named gw in namespace ns" / "no Gateway in namespace ns". */
export function noneFound(kind: string, namespace: string | undefined, name?: string): string {
  const where = namespace ? ` in namespace ${namespace}` : "";
  return name ? `no ${kind} named ${name}${where}` : `no ${kind}${where}`;
}

/**
 * Grades candidates one by one: passes with the first that passes; otherwise fails with the
 * reasons of every candidate (or of the named one).
 */
export function firstPassing(
  objects: readonly KubeObject[],
  grade: (o: KubeObject) => CheckOutcome,
  nothing: string,
): CheckOutcome {
  if (objects.length === 0) return fail(nothing);
  const outcomes = objects.map((o) => grade(o));
  const ok = outcomes.find((o) => o.status === "pass");
  if (ok) return ok;
  if (outcomes.length === 1) return outcomes[0];
  return fail(
    outcomes.map((o) => o.message).join("; "),
    outcomes.flatMap((o) => o.evidence ?? []),
  );
}

// The check engine: one snapshot for a whole Check (one list per kind), then every check as a
// pure function over it. Nothing a check or a cluster does can crash a run, and a cluster
// that cannot be read is an error, never a fail.
import type { z } from "zod";
import { buildSnapshot } from "../cluster/snapshot";
import type { Cluster, KindRef, Prober } from "../cluster/types";
import { kindKey } from "../cluster/types";
import { findBuiltinCheck } from "./registry";
import type { CheckCapabilities, CheckDefinition, CheckOutcome, CheckResult, Snapshot } from "./types";

/** One check as the scenario loader resolves it (vars substituted). */
export interface CheckRequest {
  id: string;
  use?: string;
  fn?: string;
  with: Record<string, unknown>;
  hint?: string;
  /** prefixes the result id: `<taskId>/<id>` */
  taskId?: string;
}

export type CustomChecks = ReadonlyMap<string, CheckDefinition>;

interface Prepared {
  request: CheckRequest;
  def?: CheckDefinition;
  params?: unknown;
  kinds: readonly KindRef[];
  /** a result decided before running (bad reference, bad params, skipped) */
  early?: Omit<CheckResult, "id" | "use" | "durationMs" | "evidence">;
}

function capabilityText(capability: keyof CheckCapabilities, cluster: Cluster): string {
  switch (capability) {
    case "dataPlane":
      return "needs a data plane (running Envoy proxies and istiod); this cluster has none";
    case "objectStatus":
      return "needs a live cluster: manifests read from files carry no status";
    case "prober":
    case "traffic": {
      const judged = "traffic is not sent; the configuration checks of this task judge it";
      if (cluster.capabilities.dataPlane)
        return `this cluster runs no prober to send requests from (lib/cluster/prober/prober.yaml): ${judged}`;
      const who = cluster.name === "files" ? "manifests read from files have" : `the ${cluster.name} cluster has`;
      return `${who} no data plane: ${judged}`;
    }
  }
}

export async function runChecks(
  cluster: Cluster,
  requests: readonly CheckRequest[],
  custom: CustomChecks = new Map(),
): Promise<CheckResult[]> {
  const capabilities = capabilitiesOf(cluster);
  const prepared = requests.map((r) => prepare(r, custom, capabilities, cluster));
  const kinds = prepared.filter((p) => !p.early).flatMap((p) => p.kinds);
  const snapshot = kinds.length > 0 ? await buildSnapshot(cluster, kinds) : emptySnapshot();
  // One at a time: traffic checks read access logs by time, so their requests must not overlap.
  const results: CheckResult[] = [];
  for (const p of prepared) results.push(await runOne(p, snapshot, capabilities, cluster.prober));
  return results;
}

/** The cluster's capabilities plus objectStatus (false only where a cluster says so, like FileCluster) and traffic. */
function capabilitiesOf(cluster: Cluster): CheckCapabilities {
  return {
    ...cluster.capabilities,
    objectStatus: cluster.capabilities.objectStatus ?? true,
    traffic: cluster.capabilities.dataPlane && cluster.prober !== undefined,
  };
}

function prepare(
  request: CheckRequest,
  custom: CustomChecks,
  capabilities: CheckCapabilities,
  cluster: Cluster,
): Prepared {
  const use = request.use ?? request.fn ?? "";
  const def =
    request.use !== undefined
      ? findBuiltinCheck(request.use)
      : request.fn !== undefined
        ? custom.get(request.fn)
        : undefined;
  if (!def) {
    const message =
      request.use !== undefined
        ? `unknown built-in check '${request.use}'`
        : request.fn !== undefined
          ? `verify.ts exports no check '${request.fn}'`
          : "the check names neither `use` nor `fn`";
    return { request, kinds: [], early: { status: "error", message } };
  }
  const parsed = def.params.safeParse(request.with ?? {});
  if (!parsed.success)
    return {
      request,
      def,
      kinds: [],
      early: { status: "error", message: `invalid parameters for ${use}: ${formatZodError(parsed.error)}` },
    };
  const missing = (def.requires ?? []).filter((c) => !capabilities[c]);
  if (missing.length > 0)
    return {
      request,
      def,
      kinds: [],
      early: { status: "skipped", message: missing.map((c) => capabilityText(c, cluster)).join("; ") },
    };
  try {
    const kinds = typeof def.kinds === "function" ? def.kinds(parsed.data) : def.kinds;
    return { request, def, params: parsed.data, kinds };
  } catch (e) {
    return { request, def, kinds: [], early: { status: "error", message: `${use}: ${(e as Error).message}` } };
  }
}

async function runOne(
  p: Prepared,
  snapshot: Snapshot,
  capabilities: CheckCapabilities,
  prober: Prober | undefined,
): Promise<CheckResult> {
  const started = performance.now();
  const base = {
    id: p.request.taskId ? `${p.request.taskId}/${p.request.id}` : p.request.id,
    use: p.request.use ?? p.request.fn ?? "",
  };
  const done = (r: Pick<CheckResult, "status" | "message"> & { evidence?: CheckResult["evidence"] }): CheckResult => ({
    ...base,
    status: r.status,
    message: r.message,
    hint: r.status === "fail" ? p.request.hint : undefined,
    evidence: r.evidence ?? [],
    durationMs: Math.round((performance.now() - started) * 100) / 100,
  });
  if (p.early || !p.def) return done(p.early ?? { status: "error", message: "no check definition" });
  const unreadable = new Map<string, string[]>();
  for (const k of p.kinds) {
    const failure = snapshot.failure(k);
    if (!failure || failure.reason === "not-found") continue;
    const key = `${failure.reason}: ${failure.message}`;
    unreadable.set(key, [...(unreadable.get(key) ?? []), k.kind]);
  }
  if (unreadable.size > 0) {
    const reasons = [...unreadable].map(([why, kinds]) => `cannot read ${[...new Set(kinds)].join(", ")} (${why})`);
    return done({ status: "error", message: reasons.join("; ") });
  }
  try {
    const outcome: unknown = await p.def.run(p.params, {
      snapshot: guardSnapshot(snapshot, p.kinds, p.def.name),
      capabilities,
      prober: capabilities.traffic ? prober : undefined,
    });
    if (!isOutcome(outcome))
      return done({
        status: "error",
        message: `${base.use} returned no verdict (expected { status: "pass" | "fail", message })`,
      });
    const absent = p.kinds.filter((k) => snapshot.failure(k)?.reason === "not-found").map((k) => k.kind);
    if (outcome.status === "fail" && absent.length > 0) {
      return done({
        ...outcome,
        message: `${outcome.message} (this cluster does not serve ${[...new Set(absent)].join(", ")}: is the CRD installed?)`,
      });
    }
    return done(outcome);
  } catch (e) {
    return done({ status: "error", message: `${base.use} failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}

function isOutcome(v: unknown): v is CheckOutcome {
  const o = v as CheckOutcome | undefined;
  return (o?.status === "pass" || o?.status === "fail") && typeof o.message === "string" && o.message.trim() !== "";
}

/** A check may read only the kinds it declared; reading another is a bug in the check, reported as an error. */
function guardSnapshot(snapshot: Snapshot, kinds: readonly KindRef[], name: string): Snapshot {
  const allowed = new Set(kinds.map(kindKey));
  const guard = (k: KindRef): void => {
    if (!allowed.has(kindKey(k))) throw new Error(`check ${name} reads ${k.kind} without declaring it in \`kinds\``);
  };
  return {
    list: (k, ns) => {
      guard(k);
      return snapshot.list(k, ns);
    },
    get: (k, objectName, ns) => {
      guard(k);
      return snapshot.get(k, objectName, ns);
    },
    failure: (k) => snapshot.failure(k),
  };
}

function emptySnapshot(): Snapshot {
  return { list: () => [], get: () => undefined, failure: () => undefined };
}

function formatZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join(".")}: ` : ""}${i.message}`).join("; ");
}

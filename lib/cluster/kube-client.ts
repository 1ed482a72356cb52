// The live Cluster over @kubernetes/client-node. The only place that builds a KubeConfig.
// Requests go through client-node's own HTTP stack (auth, TLS agent) but bodies are read as
// plain JSON: the typed models would turn timestamps into Dates and drop unknown fields.
import { setTimeout as sleep } from "node:timers/promises";
import {
  type Configuration,
  createConfiguration,
  FetchError,
  HttpMethod,
  KubeConfig,
  ServerConfiguration,
} from "@kubernetes/client-node";
import { createKubeProber } from "./prober/kube-prober";
import type {
  Capabilities,
  Cluster,
  ClusterFailure,
  ClusterFailureReason,
  ClusterResult,
  KindRef,
  KubeObject,
  Prober,
} from "./types";

export interface KubeClusterOptions {
  /** A kubeconfig file; without it, $KUBECONFIG or ~/.kube/config. */
  kubeconfigPath?: string;
  /** A context of that kubeconfig; without it, its current context. */
  context?: string;
  /** Per request; an API server that does not answer in time is "unreachable". */
  timeoutMs?: number;
  capabilities?: Capabilities;
  /** shown with results; default: the context's name */
  name?: string;
}

const DEFAULT_TIMEOUT_MS = 4000;
/** names pod logs in failure messages */
const K_LOG: KindRef = { group: "", version: "v1", kind: "Pod log", plural: "pods/log", namespaced: true };

/** Connects lazily: building never touches the network; a bad kubeconfig is an "invalid" failure. */
export function createKubeCluster(options: KubeClusterOptions = {}): ClusterResult<Cluster> {
  const kc = new KubeConfig();
  try {
    if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
    else kc.loadFromDefault();
  } catch (e) {
    return invalid(`cannot read kubeconfig ${options.kubeconfigPath ?? "(default)"}: ${(e as Error).message}`);
  }
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      return invalid(`kubeconfig has no context "${options.context}" (it has: ${known.join(", ") || "none"})`);
    }
    kc.setCurrentContext(options.context);
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) return invalid(`kubeconfig context "${kc.getCurrentContext()}" names no cluster server`);
  const config = createConfiguration({ baseServer: new ServerConfiguration(server, {}), authMethods: { default: kc } });
  const cluster = new KubeCluster(kc, config, server, options);
  return { ok: true, value: cluster };
}

class KubeCluster implements Cluster {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** only where a data plane runs and the driver deployed the prober */
  readonly prober?: Prober;
  private readonly timeoutMs: number;

  constructor(
    private readonly kc: KubeConfig,
    private readonly config: Configuration,
    private readonly server: string,
    options: KubeClusterOptions,
  ) {
    this.name = options.name ?? kc.getCurrentContext();
    this.capabilities = options.capabilities ?? { dataPlane: false };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (this.capabilities.dataPlane && this.capabilities.prober)
      this.prober = createKubeProber(kc, this, (path) => this.readText(path));
  }

  /** A text resource such as a pod's log (GET, the read-only credential). */
  private async readText(path: string): Promise<ClusterResult<string>> {
    const ctx = this.config.baseServer.makeRequestContext(path, HttpMethod.GET);
    try {
      await this.kc.applySecurityAuthentication(ctx);
      ctx.setSignal(AbortSignal.timeout(this.timeoutMs * 4));
      const response = await this.config.httpApi.send(ctx).toPromise();
      const text = await response.body.text();
      if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) return { ok: true, value: text };
      return { ok: false, failure: httpFailure(response.httpStatusCode, text, K_LOG, path) };
    } catch (e) {
      return { ok: false, failure: networkFailure(e, this.server, this.timeoutMs * 4) };
    }
  }

  async list(kind: KindRef, namespace?: string): Promise<ClusterResult<KubeObject[]>> {
    const result = await this.request(resourcePath(kind, kind.namespaced ? namespace : undefined), kind);
    if (!result.ok) return result;
    const items = (result.value as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) return invalid(`listing ${kind.plural}: the API server answered without items`);
    // List items omit apiVersion and kind; put them back so objects look as they do in manifests.
    const apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
    const objects = (items as KubeObject[]).map((item) => ({
      ...item,
      apiVersion: item.apiVersion ?? apiVersion,
      kind: item.kind ?? kind.kind,
    }));
    return { ok: true, value: objects };
  }

  async get(kind: KindRef, name: string, namespace?: string): Promise<ClusterResult<KubeObject>> {
    const path = `${resourcePath(kind, kind.namespaced ? (namespace ?? "default") : undefined)}/${encodeURIComponent(name)}`;
    const result = await this.request(path, kind);
    return result.ok ? { ok: true, value: result.value as KubeObject } : result;
  }

  private async request(path: string, kind: KindRef): Promise<ClusterResult<unknown>> {
    let status = 0;
    let text = "";
    // 429 asks the client to come back (API priority and fairness, or a just-created CRD whose
    // storage is still initializing): a few tries, as client-go makes, before it is an error.
    for (let attempt = 0; attempt <= RETRIES_ON_429; attempt++) {
      const ctx = this.config.baseServer.makeRequestContext(path, HttpMethod.GET);
      ctx.setHeaderParam("Accept", "application/json");
      try {
        await this.kc.applySecurityAuthentication(ctx);
        ctx.setSignal(AbortSignal.timeout(this.timeoutMs));
        const response = await this.config.httpApi.send(ctx).toPromise();
        status = response.httpStatusCode;
        text = await response.body.text();
        if (status !== 429 || attempt === RETRIES_ON_429) break;
        const retryAfter = Number(response.headers["retry-after"]);
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 2) * 1000 : 500);
      } catch (e) {
        return { ok: false, failure: networkFailure(e, this.server, this.timeoutMs) };
      }
    }
    if (status < 200 || status >= 300) return { ok: false, failure: httpFailure(status, text, kind, path) };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return {
        ok: false,
        failure: {
          reason: "unreachable",
          message: `${kind.kind} (${path}): ${this.server} answered with a body that is not JSON`,
        },
      };
    }
  }
}

const RETRIES_ON_429 = 3;

function resourcePath(kind: KindRef, namespace?: string): string {
  const base = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  const ns = kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${kind.plural}`;
}

function httpFailure(status: number, body: string, kind: KindRef, path: string): ClusterFailure {
  const detail = statusMessage(body);
  // A 404 that is not a Kubernetes Status came from something else (a proxy, a web server):
  // reading it as "no such CRD" would grade an empty cluster.
  if (status === 404 && !isKubeStatus(body)) {
    return {
      reason: "unreachable",
      message: `${kind.kind} (${path}): HTTP 404 from a server that does not answer like a Kubernetes API server`,
    };
  }
  const reason: ClusterFailureReason =
    status === 404
      ? "not-found"
      : status === 401 || status === 403
        ? "forbidden"
        : status === 400 || status === 422
          ? "invalid"
          : "unreachable";
  const what = `${kind.kind} (${path})`;
  const messages: Record<ClusterFailureReason, string> = {
    "not-found": `${what}: not found${detail ? `: ${detail}` : ""}`,
    forbidden: `${what}: HTTP ${status}, the credentials may not read it${detail ? `: ${detail}` : ""}`,
    invalid: `${what}: HTTP ${status}${detail ? `: ${detail}` : ""}`,
    unreachable: `${what}: the API server answered HTTP ${status}${detail ? `: ${detail}` : ""}`,
  };
  return { reason, message: messages[reason] };
}

function networkFailure(e: unknown, server: string, timeoutMs: number): ClusterFailure {
  const err = e as { name?: string; code?: string; message?: string };
  if (err.name === "AbortError" || err.name === "TimeoutError") {
    return { reason: "unreachable", message: `API server ${server} did not answer within ${timeoutMs / 1000}s` };
  }
  const code = e instanceof FetchError ? e.code : err.code;
  const why: Record<string, string> = {
    ECONNREFUSED: "connection refused (is the cluster running?)",
    ENOTFOUND: "host name not found",
    EAI_AGAIN: "host name lookup failed",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    ECONNRESET: "connection reset",
  };
  const detail = (code && why[code]) ?? err.message ?? String(e);
  return { reason: "unreachable", message: `cannot reach API server ${server}: ${detail}` };
}

function statusMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === "string" ? parsed.message : undefined;
  } catch {
    return body.trim().slice(0, 200) || undefined;
  }
}

function isKubeStatus(body: string): boolean {
  try {
    return (JSON.parse(body) as { kind?: unknown }).kind === "Status";
  } catch {
    return false;
  }
}

function invalid(message: string): { ok: false; failure: ClusterFailure } {
  return { ok: false, failure: { reason: "invalid", message } };
}

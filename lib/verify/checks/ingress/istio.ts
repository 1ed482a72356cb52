// ingress.istio: a Kubernetes Ingress that Istio serves, with a rule for a host/path to a backend.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { arr, describeObject, type Rec, rec, sortOldestFirst, specOf, str } from "../../../istio/fields";
import { hostCovers, isWildcard } from "../../../istio/hosts";
import { decideIngress, resolveBackendPort, unservedIngressApi } from "../../../istio/ingress";
import { readMeshConfig } from "../../../istio/mesh-config";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, listText, noneFound, pass, ZNamespace, ZPort } from "../common";

interface PathEntry {
  owner: KubeObject;
  at: string;
  entry: Rec;
  length: number;
  exact: boolean;
}

export const ingressIstio = defineCheck({
  name: "ingress.istio",
  description:
    "An Ingress that Istio serves (annotation kubernetes.io/ingress.class equal to the mesh ingressClass, or an IngressClass with controller istio.io/ingress-controller, or no class in mesh ingressControllerMode DEFAULT; graded from files, an Ingress without a class gets the default IngressClass as the API server gives it), optionally routing a request for host/path to a backend Service and port: Istio merges the rules of every Ingress it serves per host (exact host, else the longest wildcard, else host-less rules), and the most specific path wins (longest, Exact before Prefix, then the oldest Ingress), so another Ingress's path can take the request; a port is compared by number, a port name resolved through the Service's named ports. An Ingress at an API version Kubernetes no longer serves (networking.k8s.io/v1beta1) is refused, not graded.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    host: z.string().min(1).optional().describe("the request's host"),
    path: z
      .string()
      .startsWith("/")
      .optional()
      .describe(
        "a request path the rule must route (Prefix, Exact, or ImplementationSpecific as Istio reads it: x/* a prefix, x exact)",
      ),
    backend: z
      .strictObject({
        service: z.string().min(1),
        port: z
          .union([ZPort, z.string().min(1)])
          .optional()
          .describe("a Service port number or name"),
      })
      .optional(),
  }),
  example: {
    namespace: "shop",
    name: "httpbin",
    host: "httpbin.example.com",
    path: "/status",
    backend: { service: "httpbin", port: 8000 },
  },
  kinds: [K.ingress, K.ingressClass, K.configMap, K.service],
  run(p, { snapshot, capabilities }) {
    const mesh = readMeshConfig(snapshot.list(K.configMap)).config;
    const classes = snapshot.list(K.ingressClass);
    // Objects read from files never went through the API server's admission.
    const fromFiles = !capabilities.objectStatus;
    const judge = (ing: KubeObject) =>
      unservedIngressApi(ing) === undefined ? decideIngress(ing, classes, mesh, { fromFiles }) : undefined;
    // Istio merges the rules of every Ingress it serves, in every namespace, per host.
    const served = snapshot.list(K.ingress).filter((ing) => judge(ing)?.handled === true);
    const serviceOf = (name: string, namespace: string) => snapshot.get(K.service, name, namespace);
    return firstPassing(
      listNamed(snapshot, K.ingress, p.namespace, p.name),
      (ing) => {
        const label = describeObject(ing);
        const refused = unservedIngressApi(ing);
        if (refused) return fail(`${label} is not graded: ${refused}`, [evidenceOf(ing, "apiVersion", ing.apiVersion)]);
        const decision = decideIngress(ing, classes, mesh, { fromFiles });
        if (!decision.handled)
          return fail(`${label} is not served by Istio: ${decision.reason}`, [
            evidenceOf(ing, "spec.ingressClassName"),
          ]);
        if (p.host === undefined && p.path === undefined && p.backend === undefined)
          return pass(`${label} is served by Istio: ${decision.reason}`, [evidenceOf(ing)]);
        return gradeRoute(ing, label, p, served, serviceOf);
      },
      noneFound("Ingress", p.namespace, p.name),
    );
  },
});

interface RouteParams {
  host?: string;
  path?: string;
  backend?: { service: string; port?: number | string };
}

interface HostRule {
  ing: KubeObject;
  rule: Rec;
  i: number;
  host?: string;
}

/**
 * The rules that serve a request's host, across every Ingress Istio serves (it merges them into one
 * VirtualService per host): the exact host wins, then the longest covering wildcard, then host-less
 * rules; oldest Ingress first, as Istio orders them before sorting the paths.
 */
function rulesForHost(served: readonly KubeObject[], host: string | undefined): HostRule[] {
  const all = sortOldestFirst(served).flatMap((ing) =>
    arr(specOf(ing).rules)
      .map(rec)
      .map((rule, i) => ({ ing, rule, i, host: str(rule.host) })),
  );
  if (host === undefined) return all;
  const want = host.toLowerCase();
  const exact = all.filter((r) => r.host?.toLowerCase() === want);
  if (exact.length > 0) return exact;
  const wildcards = all.filter((r) => r.host && isWildcard(r.host) && hostCovers(r.host, want));
  const longest = Math.max(0, ...wildcards.map((r) => r.host?.length ?? 0));
  if (wildcards.length > 0) return wildcards.filter((r) => r.host?.length === longest);
  return all.filter((r) => r.host === undefined || r.host === "");
}

function gradeRoute(
  ing: KubeObject,
  label: string,
  p: RouteParams,
  served: readonly KubeObject[],
  serviceOf: (name: string, namespace: string) => KubeObject | undefined,
) {
  const wanted = [p.host && `host ${p.host}`, p.path && `path ${p.path}`].filter(Boolean) as string[];
  const request = listText(wanted) || "requests";
  const forHost = rulesForHost(served, p.host);
  const own = forHost.filter((r) => r.ing === ing);
  if (own.length === 0) {
    const hosts = arr(specOf(ing).rules).map((r) => str(rec(r).host) ?? "(any host)");
    const other = forHost.find((r) => r.ing !== ing);
    const taken = other ? `; Istio serves host ${p.host} from ${describeObject(other.ing)}` : "";
    return fail(
      `${label} has no rule for host ${p.host} (spec.rules[].host: ${hosts.join(", ") || "no rules"})${taken}`,
      [evidenceOf(ing, "spec.rules")],
    );
  }
  const entries: PathEntry[] = forHost.flatMap(({ ing: owner, rule, i }) =>
    arr(rec(rule.http).paths).flatMap((raw, j) => {
      const entry = rec(raw);
      const m = p.path === undefined ? { length: 0, exact: false } : pathMatch(entry, p.path);
      return m ? [{ owner, at: `spec.rules[${i}].http.paths[${j}]`, entry, ...m }] : [];
    }),
  );
  if (!entries.some((m) => m.owner === ing)) {
    const written = own.flatMap(({ rule, i }) =>
      arr(rec(rule.http).paths).map(
        (x, j) =>
          `spec.rules[${i}].http.paths[${j}] ${str(rec(x).path) ?? "(no path)"} (${str(rec(x).pathType) ?? "no pathType"})`,
      ),
    );
    return fail(
      `${label} has no path that matches ${request}: ${written.length > 0 ? listText(written) : "the rule has no http.paths"}`,
      [evidenceOf(ing, "spec.rules")],
    );
  }
  // Longest path first; an Exact path before a prefix of the same length (Istio's sortHTTPRoutes, stable).
  entries.sort((a, b) => b.length - a.length || Number(b.exact) - Number(a.exact));
  const dropped: string[] = [];
  for (const m of entries) {
    const backend = rec(m.entry.backend);
    const serviceName = str(rec(backend.service).name);
    const where = m.owner === ing ? m.at : `${describeObject(m.owner)} ${m.at}`;
    if (serviceName === undefined) {
      dropped.push(`${where}.backend names no Service`);
      continue;
    }
    const ns = m.owner.metadata.namespace ?? "";
    const resolved = resolveBackendPort(backend, serviceOf(serviceName, ns));
    if (!resolved.ok) {
      dropped.push(`${where}.${resolved.dropped}`);
      continue;
    }
    const before = dropped.length > 0 ? ` (${dropped.join("; ")})` : "";
    if (m.owner !== ing)
      return fail(
        `${label} does not get ${request}: ${where} (path ${str(m.entry.path) ?? "(none)"}, ${str(m.entry.pathType) ?? "no pathType"}) takes it first and sends it to Service ${ns}/${serviceName}${before}`,
        [evidenceOf(m.owner, `${m.at}.backend`, backend), evidenceOf(ing, "spec.rules")],
      );
    const evidence = [evidenceOf(ing, `${m.at}.backend`, backend)];
    if (resolved.broken)
      return fail(
        `${label} sends ${request} to Service ${serviceName} port ${resolved.port}, where requests fail with 503: ${m.at}.${resolved.broken}${before}`,
        evidence,
      );
    if (p.backend === undefined) return pass(`${label} is served by Istio and routes ${request}${before}`, evidence);
    if (serviceName !== p.backend.service)
      return fail(
        `${label} sends ${request} to Service ${serviceName} (${m.at}.backend.service.name), expected ${p.backend.service}${before}`,
        evidence,
      );
    if (p.backend.port !== undefined) {
      const want = expectedPort(p.backend.port, serviceOf(p.backend.service, ns));
      if (want !== resolved.port)
        return fail(
          `${label} sends ${request} to Service ${serviceName} port ${resolved.port} (${m.at}.backend.service.port), expected port ${p.backend.port}${before}`,
          evidence,
        );
    }
    return pass(
      `${label} is served by Istio and sends ${request} to Service ${serviceName} port ${resolved.port}${before}`,
      evidence,
    );
  }
  return fail(`${label} routes ${request} nowhere: ${dropped.join("; ")}`, [evidenceOf(ing, "spec.rules")]);
}

/** The expected port as a number: a name is looked up among the Service's named ports. */
function expectedPort(port: number | string, service: KubeObject | undefined): number | undefined {
  if (typeof port === "number") return port;
  const hit = arr(rec(service?.spec).ports)
    .map(rec)
    .find((x) => str(x.name) === port);
  return typeof hit?.port === "number" ? hit.port : undefined;
}

/** Whether a path entry matches a request path, and how specific it is (Istio's conversion of pathType). */
function pathMatch(entry: Rec, path: string): { length: number; exact: boolean } | undefined {
  const type = str(entry.pathType);
  const want = str(entry.path) ?? "";
  if (type === "Exact") return path === want ? { length: want.length, exact: true } : undefined;
  if (type === "Prefix") {
    const prefix = want.replace(/\/+$/, "");
    const ok = prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
    return ok ? { length: want.length, exact: false } : undefined;
  }
  // ImplementationSpecific, as Istio converts it: "", "*", "/*", ".*" match all; "x/*" and "x.*" are
  // prefix "x"; anything else is an exact path.
  if (["", "*", "/*", ".*"].includes(want)) return { length: 0, exact: false };
  if (want.endsWith("/*") || want.endsWith(".*")) {
    const prefix = want.slice(0, -2);
    return path.startsWith(prefix) ? { length: prefix.length, exact: false } : undefined;
  }
  return path === want ? { length: want.length, exact: true } : undefined;
}

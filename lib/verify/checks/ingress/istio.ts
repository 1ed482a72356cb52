// ingress.istio: a Kubernetes Ingress that Istio serves, with a rule for a host/path to a backend.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { arr, describeObject, type Rec, rec, specOf, str } from "../../../istio/fields";
import { hostCovers, isWildcard } from "../../../istio/hosts";
import { decideIngress, resolveBackendPort, unservedIngressApi } from "../../../istio/ingress";
import { readMeshConfig } from "../../../istio/mesh-config";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, listText, noneFound, pass, ZNamespace, ZPort } from "../common";

interface PathEntry {
  at: string;
  entry: Rec;
  length: number;
  exact: boolean;
}

export const ingressIstio = defineCheck({
  name: "ingress.istio",
  description:
    "An Ingress that Istio serves (annotation kubernetes.io/ingress.class equal to the mesh ingressClass, or an IngressClass with controller istio.io/ingress-controller, or no class in mesh ingressControllerMode DEFAULT; graded from files, an Ingress without a class gets the default IngressClass as the API server gives it), optionally routing a request for host/path to a backend Service and port: the most specific path of the rule for the host wins, as Istio orders them; a port is compared by number, a port name resolved through the Service's named ports. An Ingress at an API version Kubernetes no longer serves (networking.k8s.io/v1beta1) is refused, not graded.",
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
    const ingresses = listNamed(snapshot, K.ingress, p.namespace, p.name);
    // Objects read from files never went through the API server's admission.
    const fromFiles = !capabilities.objectStatus;
    const serviceOf = (name: string) => snapshot.get(K.service, name, p.namespace);
    return firstPassing(
      ingresses,
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
        return gradeRoute(ing, label, p, serviceOf);
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

function gradeRoute(
  ing: KubeObject,
  label: string,
  p: RouteParams,
  serviceOf: (name: string) => KubeObject | undefined,
) {
  const rules = arr(specOf(ing).rules).map(rec);
  const indexed = rules.map((rule, i) => ({ rule, i, host: str(rule.host) }));
  // Istio builds one VirtualService per host: the exact host wins, then the longest wildcard, then host-less rules.
  let forHost = indexed;
  if (p.host !== undefined) {
    const want = p.host.toLowerCase();
    const exact = indexed.filter((r) => r.host?.toLowerCase() === want);
    const wildcards = indexed.filter((r) => r.host && isWildcard(r.host) && hostCovers(r.host, want));
    const longest = Math.max(0, ...wildcards.map((r) => r.host?.length ?? 0));
    forHost =
      exact.length > 0
        ? exact
        : wildcards.length > 0
          ? wildcards.filter((r) => r.host?.length === longest)
          : indexed.filter((r) => r.host === undefined || r.host === "");
  }
  const wanted = [p.host && `host ${p.host}`, p.path && `path ${p.path}`].filter(Boolean) as string[];
  const request = listText(wanted) || "requests";
  if (forHost.length === 0)
    return fail(
      `${label} has no rule for host ${p.host} (spec.rules[].host: ${rules.map((r) => str(r.host) ?? "(any host)").join(", ") || "no rules"})`,
      [evidenceOf(ing, "spec.rules")],
    );
  const matching: PathEntry[] = forHost.flatMap(({ rule, i }) =>
    arr(rec(rule.http).paths).flatMap((raw, j) => {
      const entry = rec(raw);
      const m = p.path === undefined ? { length: 0, exact: false } : pathMatch(entry, p.path);
      return m ? [{ at: `spec.rules[${i}].http.paths[${j}]`, entry, ...m }] : [];
    }),
  );
  if (matching.length === 0) {
    const written = forHost.flatMap(({ rule, i }) =>
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
  // Longest path first; an Exact path before a prefix of the same length (Istio's sortHTTPRoutes).
  matching.sort((a, b) => b.length - a.length || Number(b.exact) - Number(a.exact));
  const dropped: string[] = [];
  for (const m of matching) {
    const backend = rec(m.entry.backend);
    const serviceName = str(rec(backend.service).name);
    if (serviceName === undefined) {
      dropped.push(`${m.at}.backend names no Service`);
      continue;
    }
    const resolved = resolveBackendPort(backend, serviceOf(serviceName));
    if (!resolved.ok) {
      dropped.push(`${m.at}.${resolved.dropped}`);
      continue;
    }
    const evidence = [evidenceOf(ing, `${m.at}.backend`, backend)];
    const before = dropped.length > 0 ? ` (${dropped.join("; ")})` : "";
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
      const want = expectedPort(p.backend.port, serviceOf(p.backend.service));
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

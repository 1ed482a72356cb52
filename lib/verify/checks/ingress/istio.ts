// ingress.istio: a Kubernetes Ingress that Istio serves, with a rule for a host/path to a backend.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, describeObject, num, rec, show, specOf, str } from "../../../istio/fields";
import { decideIngress } from "../../../istio/ingress";
import { readMeshConfig } from "../../../istio/mesh-config";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, listText, noneFound, pass, ZNamespace, ZPort } from "../common";

export const ingressIstio = defineCheck({
  name: "ingress.istio",
  description:
    "An Ingress that Istio serves (annotation kubernetes.io/ingress.class equal to the mesh ingressClass, or an IngressClass with controller istio.io/ingress-controller, or no class in mesh ingressControllerMode DEFAULT), optionally with a rule for host/path to a backend Service and port.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    path: z
      .string()
      .startsWith("/")
      .optional()
      .describe(
        "a request path the rule must route (Prefix, Exact, or ImplementationSpecific as Istio reads it: x/* a prefix, x exact)",
      ),
    backend: z
      .strictObject({ service: z.string().min(1), port: z.union([ZPort, z.string().min(1)]).optional() })
      .optional(),
  }),
  example: {
    namespace: "shop",
    name: "httpbin",
    host: "httpbin.example.com",
    path: "/status",
    backend: { service: "httpbin", port: 8000 },
  },
  kinds: [K.ingress, K.ingressClass, K.configMap],
  run(p, { snapshot }) {
    const mesh = readMeshConfig(snapshot.list(K.configMap)).config;
    const classes = snapshot.list(K.ingressClass);
    const ingresses = listNamed(snapshot, K.ingress, p.namespace, p.name);
    return firstPassing(
      ingresses,
      (ing) => {
        const label = describeObject(ing);
        const decision = decideIngress(ing, classes, mesh);
        if (!decision.handled)
          return fail(`${label} is not served by Istio: ${decision.reason}`, [
            evidenceOf(ing, "spec.ingressClassName"),
          ]);
        if (p.host === undefined && p.path === undefined && p.backend === undefined)
          return pass(`${label} is served by Istio: ${decision.reason}`, [evidenceOf(ing)]);
        const rules = arr(specOf(ing).rules).map(rec);
        const paths = rules
          .filter((r) => p.host === undefined || str(r.host) === p.host || str(r.host) === undefined)
          .flatMap((r) => arr(rec(r.http).paths).map(rec))
          .filter((x) => p.path === undefined || pathMatches(x, p.path));
        const hits = paths.filter((x) => {
          const svc = rec(rec(x.backend).service);
          if (p.backend === undefined) return true;
          if (str(svc.name) !== p.backend.service) return false;
          const port = rec(svc.port);
          return (
            p.backend.port === undefined || num(port.number) === p.backend.port || str(port.name) === p.backend.port
          );
        });
        if (hits.length === 0) {
          const want = [
            p.host && `host ${p.host}`,
            p.path && `path ${p.path}`,
            p.backend && `backend ${p.backend.service}${p.backend.port ? `:${p.backend.port}` : ""}`,
          ].filter(Boolean) as string[];
          return fail(`${label} has no rule for ${listText(want)} (spec.rules is ${show(specOf(ing).rules)})`, [
            evidenceOf(ing, "spec.rules"),
          ]);
        }
        return pass(
          `${label} is served by Istio and routes ${listText([p.host, p.path].filter(Boolean) as string[]) || "requests"} as expected`,
          [evidenceOf(ing, "spec.rules")],
        );
      },
      noneFound("Ingress", p.namespace, p.name),
    );
  },
});

function pathMatches(entry: Record<string, unknown>, path: string): boolean {
  const type = str(entry.pathType);
  const want = str(entry.path) ?? (type === "Prefix" ? "/" : "");
  if (type === "Exact") return path === want;
  if (type === "Prefix") {
    const prefix = want.endsWith("/") ? want : `${want}/`;
    return path === want || path.startsWith(prefix) || want === "/";
  }
  // ImplementationSpecific, as Istio converts it: "", "*", "/*", ".*" match all; "x/*" and "x.*" are
  // prefix "x"; anything else is an exact path.
  if (["", "*", "/*", ".*"].includes(want)) return true;
  if (want.endsWith("/*") || want.endsWith(".*")) return path.startsWith(want.slice(0, -2));
  return path === want;
}

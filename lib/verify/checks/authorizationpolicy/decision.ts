// authorizationpolicy.decision: what the AuthorizationPolicies decide for a sample request.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { applicablePolicies, evaluateAuthorization } from "../../../istio/authorization";
import { describeObject } from "../../../istio/fields";
import { matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, rootNamespace, selectorOf, ZLabels, ZPort } from "../common";

const ZAuthzRequest = z.strictObject({
  principal: z.string().optional().describe("caller identity, cluster.local/ns/<ns>/sa/<sa>"),
  namespace: z.string().optional().describe("caller namespace; read from principal when omitted"),
  requestPrincipal: z.string().optional().describe("JWT <iss>/<sub>"),
  claims: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  method: z.string().optional(),
  path: z.string().optional(),
  host: z.string().optional(),
  port: ZPort.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  ip: z.string().optional().describe("the peer's IP (ipBlocks, source.ip); behind a load balancer, the balancer's"),
  remoteIp: z
    .string()
    .optional()
    .describe(
      "the original client IP, from X-Forwarded-For or PROXY protocol (remoteIpBlocks, remote.ip); defaults to ip",
    ),
});

type Request = z.infer<typeof ZAuthzRequest>;

/** A sample request in words, for messages: `GET /get from cluster.local/ns/shop/sa/sleep`. */
export function authzRequestText(r: Request): string {
  const parts = [`${r.method ?? "a"} request${r.path ? ` to ${r.path}` : ""}`];
  if (r.host) parts.push(`for host ${r.host}${r.port ? `:${r.port}` : ""}`);
  else if (r.port) parts.push(`on port ${r.port}`);
  if (r.principal) parts.push(`from ${r.principal}`);
  else if (r.namespace) parts.push(`from namespace ${r.namespace}`);
  if (r.requestPrincipal) parts.push(`with a JWT of ${r.requestPrincipal}`);
  const claims = Object.entries(r.claims ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : v}`);
  if (claims.length > 0) parts.push(`with claims ${claims.join(", ")}`);
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  if (headers.length > 0) parts.push(`with header ${headers.join(", ")}`);
  if (r.remoteIp) parts.push(`from client IP ${r.remoteIp}`);
  if (r.ip) parts.push(`${r.remoteIp ? "through" : "from"} peer IP ${r.ip}`);
  if (!r.principal && !r.namespace && !r.requestPrincipal) parts.push("from a caller without identity");
  return parts.join(" ");
}

export const authorizationPolicyDecision = defineCheck({
  name: "authorizationpolicy.decision",
  description:
    "Evaluates every AuthorizationPolicy that applies to a workload (its namespace's and the root namespace's) for a sample request: DENY first, then ALLOW (none → allow, any match → allow, else deny). So any policy set that decides correctly passes.",
  params: z.strictObject({
    namespace: z.string().min(1).describe("namespace of the workload receiving the request"),
    workloadLabels: ZLabels.default({}).describe("labels of the receiving workload (for policy selectors)"),
    request: ZAuthzRequest,
    expect: z.enum(["allow", "deny"]),
  }),
  example: {
    namespace: "shop",
    workloadLabels: { app: "httpbin" },
    request: { principal: "cluster.local/ns/shop/sa/sleep", method: "GET", path: "/get" },
    expect: "allow",
  },
  kinds: [K.authorizationPolicy, K.configMap],
  run(p, { snapshot }) {
    const root = rootNamespace(snapshot);
    const policies = snapshot.list(K.authorizationPolicy);
    const decision = evaluateAuthorization(
      policies,
      { namespace: p.namespace, labels: p.workloadLabels },
      p.request,
      root,
    );
    const got = decision.allowed ? "allow" : "deny";
    const evidence = applicablePolicies(policies, { namespace: p.namespace, labels: p.workloadLabels }, root).map(
      (ap) => evidenceOf(ap, "spec"),
    );
    const req = authzRequestText(p.request);
    if (got !== p.expect) {
      // A policy that would select the workload but sits in another namespace does not apply: name it.
      const elsewhere = policies.filter(
        (ap) =>
          ap.metadata.namespace !== p.namespace &&
          ap.metadata.namespace !== root &&
          matchesLabels(selectorOf(ap), p.workloadLabels),
      );
      const note =
        elsewhere.length > 0
          ? ` (${listText(elsewhere.map(describeObject))} ${elsewhere.length > 1 ? "are" : "is"} in another namespace and does not apply to workloads in ${p.namespace})`
          : "";
      return fail(
        `${req} to namespace ${p.namespace} is ${decision.allowed ? "allowed" : "denied"}, expected ${p.expect}: ${decision.reason}${note}`,
        evidence,
      );
    }
    return pass(`${req} is ${decision.allowed ? "allowed" : "denied"}: ${decision.reason}`, evidence);
  },
});

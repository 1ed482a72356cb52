// authorizationpolicy.decision: what the AuthorizationPolicies decide for a sample request.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { applicablePolicies, evaluateAuthorization } from "../../../istio/authorization";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, rootNamespace, ZLabels, ZPort } from "../common";

export const authorizationPolicyDecision = defineCheck({
  name: "authorizationpolicy.decision",
  description:
    "Evaluates every AuthorizationPolicy that applies to a workload (its namespace's and the root namespace's) for a sample request: DENY first, then ALLOW (none → allow, any match → allow, else deny). So any policy set that decides correctly passes.",
  params: z.strictObject({
    namespace: z.string().min(1).describe("namespace of the workload receiving the request"),
    workloadLabels: ZLabels.default({}).describe("labels of the receiving workload (for policy selectors)"),
    request: z.strictObject({
      principal: z.string().optional().describe("caller identity, cluster.local/ns/<ns>/sa/<sa>"),
      namespace: z.string().optional().describe("caller namespace; read from principal when omitted"),
      requestPrincipal: z.string().optional().describe("JWT <iss>/<sub>"),
      claims: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
      method: z.string().optional(),
      path: z.string().optional(),
      host: z.string().optional(),
      port: ZPort.optional(),
      headers: z.record(z.string(), z.string()).optional(),
    }),
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
    const req = JSON.stringify(p.request);
    if (got !== p.expect)
      return fail(
        `a request ${req} to namespace ${p.namespace} is ${decision.allowed ? "allowed" : "denied"}, expected ${p.expect}: ${decision.reason}`,
        evidence,
      );
    return pass(`a request ${req} is ${decision.allowed ? "allowed" : "denied"}: ${decision.reason}`, evidence);
  },
});

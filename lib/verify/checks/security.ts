// Security checks: PeerAuthentication (mTLS), AuthorizationPolicy, RequestAuthentication.
import { z } from "zod";
import { K } from "../../cluster/kinds";
import type { KubeObject } from "../../cluster/types";
import { applicablePolicies, evaluateAuthorization, isDenyAll } from "../../istio/authorization";
import { arr, describeObject, rec, show, sortOldestFirst, specOf, str, strMap, strs } from "../../istio/fields";
import { formatLabels, matchesLabels } from "../../istio/labels";
import { defineCheck } from "../types";
import { evidenceOf, fail, listText, pass, rootNamespace, ZLabels, ZPort } from "./common";

const MODES = ["STRICT", "PERMISSIVE", "DISABLE"] as const;

function modeOf(pa: KubeObject | undefined): string {
  return (pa && str(rec(specOf(pa).mtls).mode)) || "UNSET";
}

function selectorOf(o: KubeObject): Record<string, string> {
  return strMap(rec(specOf(o).selector).matchLabels);
}

/** The oldest selector-less PeerAuthentication of a namespace (an empty matchLabels counts as none): the one Istio uses. */
function namespacePolicy(pas: readonly KubeObject[], ns: string): { used?: KubeObject; ignored: KubeObject[] } {
  const all = sortOldestFirst(
    pas.filter((pa) => pa.metadata.namespace === ns && Object.keys(selectorOf(pa)).length === 0),
  );
  return { used: all[0], ignored: all.slice(1) };
}

export const peerAuthenticationMtls = defineCheck({
  name: "peerauthentication.mtls",
  description:
    "The mTLS mode of a PeerAuthentication at mesh scope (selector-less, root namespace), namespace scope (selector-less) or workload scope (selector), and port exceptions. UNSET inherits from the scope above (the mesh's UNSET is PERMISSIVE), and a port without a mode (or UNSET) takes the workload's effective mode; with several selector-less policies the oldest wins.",
  params: z
    .strictObject({
      scope: z.enum(["mesh", "namespace", "workload"]),
      namespace: z.string().min(1).optional().describe("required for namespace and workload scope"),
      selector: ZLabels.optional().describe("workload scope: labels of the workload the policy must select"),
      mode: z.enum(MODES).optional(),
      portLevelMtls: z
        .record(z.string().regex(/^\d+$/, "expected a port number"), z.enum(MODES))
        .optional()
        .describe("port → mode, e.g. { 8080: DISABLE } (needs a selector)"),
    })
    .refine(
      (p) => p.scope === "mesh" || p.namespace !== undefined,
      "namespace is required for namespace and workload scope",
    )
    .refine((p) => p.scope !== "workload" || p.selector !== undefined, "selector is required for workload scope"),
  example: { scope: "namespace", namespace: "shop", mode: "STRICT" },
  kinds: [K.peerAuthentication, K.configMap],
  run(p, { snapshot }) {
    const pas = snapshot.list(K.peerAuthentication);
    const root = rootNamespace(snapshot);
    const mesh = namespacePolicy(pas, root);
    const meshMode = modeOf(mesh.used) === "UNSET" ? "PERMISSIVE" : modeOf(mesh.used);
    let target: KubeObject | undefined;
    let ignored: KubeObject[] = [];
    let inherited = meshMode;
    let what: string;
    if (p.scope === "mesh") {
      ({ used: target, ignored } = mesh);
      inherited = "PERMISSIVE";
      what = `no PeerAuthentication without selector in the root namespace ${root} (mesh-wide)`;
    } else if (p.scope === "namespace") {
      ({ used: target, ignored } = namespacePolicy(pas, p.namespace ?? ""));
      what = `no PeerAuthentication without selector in namespace ${p.namespace}`;
    } else {
      const ns = namespacePolicy(pas, p.namespace ?? "").used;
      if (modeOf(ns) !== "UNSET") inherited = modeOf(ns);
      const selecting = sortOldestFirst(
        pas.filter(
          (pa) =>
            pa.metadata.namespace === p.namespace &&
            Object.keys(selectorOf(pa)).length > 0 &&
            matchesLabels(selectorOf(pa), p.selector ?? {}),
        ),
      );
      target = selecting[0];
      ignored = selecting.slice(1);
      what = `no PeerAuthentication in namespace ${p.namespace} selects workloads labelled ${formatLabels(p.selector ?? {})}`;
    }
    if (!target) return fail(what);
    const label = describeObject(target);
    const written = modeOf(target);
    const effective = written === "UNSET" ? inherited : written;
    const wrong: string[] = [];
    if (p.mode && effective !== p.mode)
      wrong.push(
        `spec.mtls.mode is ${written === "UNSET" ? `unset (inherits ${inherited})` : written}, expected ${p.mode}`,
      );
    if (p.portLevelMtls) {
      if (p.scope !== "workload") wrong.push("portLevelMtls needs a workload selector");
      const ports = rec(specOf(target).portLevelMtls);
      for (const [port, mode] of Object.entries(p.portLevelMtls)) {
        // pilot's ComposePeerAuthentication: a port without a mode (or UNSET) takes the workload's effective mode.
        const got = str(rec(ports[port]).mode);
        const isUnset = got === undefined || got === "UNSET";
        if ((isUnset ? effective : got) !== mode)
          wrong.push(
            `spec.portLevelMtls[${port}].mode is ${isUnset ? `${got ?? "unset"} (inherits ${effective})` : got}, expected ${mode}`,
          );
      }
    }
    const note =
      ignored.length > 0
        ? ` (newer ${listText(ignored.map(describeObject))} ${ignored.length > 1 ? "are" : "is"} ignored)`
        : "";
    const evidence = [evidenceOf(target, "spec", specOf(target))];
    if (wrong.length > 0) return fail(`${label} ${wrong.join("; ")}${note}`, evidence);
    return pass(`${label} sets mTLS ${effective}${note}`, evidence);
  },
});

export const authorizationPolicyDenyAll = defineCheck({
  name: "authorizationpolicy.deny-all",
  description:
    "Every request to the namespace (or to the workloads of `selector`) is denied: by a DENY policy with an empty rule, or by an allow-nothing policy (an empty spec `{}`, or ALLOW without rules) when no ALLOW policy with rules covers the same workloads (ALLOW policies add up, so one with rules lets its requests through). Policies in the root namespace apply mesh-wide.",
  params: z.strictObject({
    namespace: z.string().min(1),
    selector: ZLabels.optional().describe(
      "labels of a workload the policy must cover; a namespace-wide policy covers it too",
    ),
  }),
  example: { namespace: "shop" },
  kinds: [K.authorizationPolicy, K.configMap],
  run(p, { snapshot }) {
    const root = rootNamespace(snapshot);
    const aps = [
      ...snapshot.list(K.authorizationPolicy, p.namespace),
      ...(root === p.namespace ? [] : snapshot.list(K.authorizationPolicy, root)),
    ];
    const isTargeted = (ap: KubeObject): boolean =>
      specOf(ap).targetRef !== undefined || specOf(ap).targetRefs !== undefined;
    const covers = (ap: KubeObject): boolean => {
      const sel = selectorOf(ap);
      return (
        !isTargeted(ap) &&
        (Object.keys(sel).length === 0 || (p.selector !== undefined && matchesLabels(sel, p.selector)))
      );
    };
    const actionOf = (ap: KubeObject): string => str(specOf(ap).action) ?? "ALLOW";
    const covering = sortOldestFirst(aps.filter(covers));
    const denyAll = covering.find((ap) => actionOf(ap) === "DENY" && isDenyAll(ap));
    if (denyAll)
      return pass(`${describeObject(denyAll)} denies every request`, [evidenceOf(denyAll, "spec", specOf(denyAll))]);
    const allowNothing = covering.find((ap) => actionOf(ap) === "ALLOW" && isDenyAll(ap));
    // Without a selector the question is the whole namespace: an ALLOW policy with rules for any of its workloads opens it.
    const opening = aps.filter(
      (ap) =>
        actionOf(ap) === "ALLOW" &&
        arr(specOf(ap).rules).length > 0 &&
        (covers(ap) || (p.selector === undefined && !isTargeted(ap) && ap.metadata.namespace === p.namespace)),
    );
    if (allowNothing && opening.length === 0)
      return pass(`${describeObject(allowNothing)} allows nothing, so every request is denied`, [
        evidenceOf(allowNothing, "spec", specOf(allowNothing)),
      ]);
    if (allowNothing)
      return fail(
        `${describeObject(allowNothing)} allows nothing, but ALLOW policy ${listText(opening.map(describeObject))} lets matching requests through (ALLOW policies add up)`,
        [allowNothing, ...opening].map((ap) => evidenceOf(ap, "spec", specOf(ap))),
      );
    const seen = aps.map((ap) => `${describeObject(ap)} (${actionOf(ap)} with ${arr(specOf(ap).rules).length} rules)`);
    return fail(
      `no AuthorizationPolicy in namespace ${p.namespace} denies all requests${seen.length > 0 ? `: found ${listText(seen)}` : ""}`,
      aps.map((ap) => evidenceOf(ap)),
    );
  },
});

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

export const requestAuthenticationJwt = defineCheck({
  name: "requestauthentication.jwt",
  description:
    "A RequestAuthentication in the namespace (or the root namespace) covering the workload has a jwtRule for the issuer, with the given jwksUri, audiences and forwardOriginalToken.",
  params: z.strictObject({
    namespace: z.string().min(1),
    selector: ZLabels.optional().describe(
      "labels of a workload the policy must cover; a namespace-wide policy covers it too",
    ),
    issuer: z.string().min(1),
    jwksUri: z.string().min(1).optional(),
    audiences: z.array(z.string().min(1)).optional(),
    forwardOriginalToken: z.boolean().optional(),
    fromHeader: z.string().min(1).optional().describe("a header the token may come from (fromHeaders[].name)"),
  }),
  example: {
    namespace: "shop",
    issuer: "testing@secure.istio.io",
    jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json",
  },
  kinds: [K.requestAuthentication, K.configMap],
  run(p, { snapshot }) {
    const root = rootNamespace(snapshot);
    const ras = [
      ...snapshot.list(K.requestAuthentication, p.namespace),
      ...(root === p.namespace ? [] : snapshot.list(K.requestAuthentication, root)),
    ];
    const covering = ras.filter((ra) => {
      const sel = selectorOf(ra);
      return Object.keys(sel).length === 0 || (p.selector !== undefined && matchesLabels(sel, p.selector));
    });
    const rules = covering.flatMap((ra) =>
      arr(specOf(ra).jwtRules).map((r, i) => ({ ra, rule: rec(r), path: `spec.jwtRules[${i}]` })),
    );
    const forIssuer = rules.filter((r) => r.rule.issuer === p.issuer);
    if (forIssuer.length === 0) {
      const issuers = rules.map((r) => `${describeObject(r.ra)} ${r.path}.issuer ${show(r.rule.issuer)}`);
      return fail(
        `no RequestAuthentication covering namespace ${p.namespace} has a jwtRule for issuer ${p.issuer}${issuers.length > 0 ? ` (found ${listText(issuers)})` : ""}`,
      );
    }
    const graded = forIssuer.map(({ ra, rule, path }) => {
      const wrong: string[] = [];
      if (p.jwksUri !== undefined && rule.jwksUri !== p.jwksUri)
        wrong.push(`jwksUri is ${show(rule.jwksUri)}, expected ${p.jwksUri}`);
      const aud = strs(rule.audiences);
      const missing = (p.audiences ?? []).filter((a) => !aud.includes(a));
      if (missing.length > 0) wrong.push(`audiences ${show(rule.audiences)} lack ${listText(missing)}`);
      if (p.forwardOriginalToken !== undefined && (rule.forwardOriginalToken === true) !== p.forwardOriginalToken) {
        wrong.push(`forwardOriginalToken is ${show(rule.forwardOriginalToken)}, expected ${p.forwardOriginalToken}`);
      }
      if (
        p.fromHeader !== undefined &&
        !arr(rule.fromHeaders).some((h) => str(rec(h).name)?.toLowerCase() === p.fromHeader?.toLowerCase())
      ) {
        wrong.push(`fromHeaders ${show(rule.fromHeaders)} lack ${p.fromHeader}`);
      }
      return { ra, path, wrong };
    });
    const ok = graded.find((g) => g.wrong.length === 0);
    if (ok)
      return pass(`${describeObject(ok.ra)} ${ok.path} validates tokens of ${p.issuer}`, [evidenceOf(ok.ra, ok.path)]);
    const g = graded[0];
    return fail(`${describeObject(g.ra)} ${g.path}: ${g.wrong.join("; ")}`, [evidenceOf(g.ra, g.path)]);
  },
});

// requestauthentication.jwt: a RequestAuthentication covering a workload validates an issuer's tokens.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, describeObject, rec, show, specOf, str, strs } from "../../../istio/fields";
import { matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, inNamespaceAndRoot, listText, pass, selectorOf, ZLabels } from "../common";

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
    const ras = inNamespaceAndRoot(snapshot, K.requestAuthentication, p.namespace);
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

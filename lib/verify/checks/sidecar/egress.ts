// sidecar.egress: the namespace's one Sidecar limits what its proxies know about.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, describeObject, isRec, rec, show, specOf, str, strs } from "../../../istio/fields";
import { hostCovers } from "../../../istio/hosts";
import { readMeshConfig } from "../../../istio/mesh-config";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZNamespace } from "../common";

/** `./host` → `<ns>/host`; `host` (no namespace) → `*\/host`. */
function normalizeEgressHost(entry: string, namespace: string): { ns: string; host: string } {
  const slash = entry.indexOf("/");
  if (slash < 0) return { ns: "*", host: entry.toLowerCase() };
  const ns = entry.slice(0, slash);
  return { ns: ns === "." ? namespace : ns, host: entry.slice(slash + 1).toLowerCase() };
}

export const sidecarEgress = defineCheck({
  name: "sidecar.egress",
  description:
    "The namespace has exactly one Sidecar without workloadSelector (two is IST0111) and its egress hosts include each listed entry (`./*` equals `<namespace>/*`; a covering wildcard host in the same namespace counts). Optionally the outbound traffic policy mode (unset, the mesh config's mode applies).",
  params: z.strictObject({
    namespace: ZNamespace,
    hosts: z.array(z.string().min(1)).optional().describe("egress entries like ./*, istio-system/*, */httpbin.org"),
    onlyThese: z.boolean().default(false).describe("fail on egress entries beyond `hosts`"),
    outboundTrafficPolicy: z.enum(["REGISTRY_ONLY", "ALLOW_ANY"]).optional(),
  }),
  example: { namespace: "shop", hosts: ["./*", "istio-system/*"] },
  kinds: [K.sidecar, K.configMap],
  run(p, { snapshot }) {
    const sidecars = snapshot.list(K.sidecar, p.namespace).filter((s) => !isRec(specOf(s).workloadSelector));
    if (sidecars.length === 0) return fail(`no Sidecar without workloadSelector in namespace ${p.namespace}`);
    if (sidecars.length > 1) {
      return fail(
        `namespace ${p.namespace} has ${sidecars.length} Sidecars without workloadSelector (${listText(sidecars.map(describeObject))}); Istio needs exactly one (IST0111)`,
        sidecars.map((s) => evidenceOf(s)),
      );
    }
    const sc = sidecars[0];
    const label = describeObject(sc);
    const egress = arr(specOf(sc).egress).map(rec);
    const actual = egress
      .flatMap((e) => strs(e.hosts))
      .map((h) => ({ written: h, ...normalizeEgressHost(h, p.namespace) }));
    const wrong: string[] = [];
    const used = new Set<string>();
    for (const want of p.hosts ?? []) {
      const w = normalizeEgressHost(want, p.namespace);
      const hit = actual.find((a) => a.ns === w.ns && hostCovers(a.host, w.host));
      if (hit) used.add(hit.written);
      else wrong.push(`egress hosts ${show(actual.map((a) => a.written))} lack ${want}`);
    }
    if (p.onlyThese) {
      const extra = actual.filter((a) => !used.has(a.written)).map((a) => a.written);
      if (extra.length > 0) wrong.push(`egress also allows ${listText(extra)}`);
    }
    const mode = str(rec(specOf(sc).outboundTrafficPolicy).mode);
    // Unset, the mesh config's mode applies (Istio's default ALLOW_ANY).
    const meshMode = str(rec(readMeshConfig(snapshot.list(K.configMap)).config.outboundTrafficPolicy).mode);
    if (p.outboundTrafficPolicy && (mode ?? meshMode) !== p.outboundTrafficPolicy) {
      wrong.push(
        `outboundTrafficPolicy.mode is ${mode ?? `unset (the mesh's ${meshMode} applies)`}, expected ${p.outboundTrafficPolicy}`,
      );
    }
    const evidence = [evidenceOf(sc, "spec.egress", specOf(sc).egress)];
    if (wrong.length > 0) return fail(`${label} spec: ${wrong.join("; ")}`, evidence);
    return pass(`${label} is the namespace's Sidecar with egress ${show(actual.map((a) => a.written))}`, evidence);
  },
});

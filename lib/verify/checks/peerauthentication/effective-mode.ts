// peerauthentication.effective-mode: the mTLS mode a namespace's (or a workload's, or a port's) sidecars really accept.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { formatLabels } from "../../../istio/labels";
import { effectiveMtls, explainMtls } from "../../../istio/mtls";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, rootNamespace, ZLabels, ZPort } from "../common";

export const peerAuthenticationEffectiveMode = defineCheck({
  name: "peerauthentication.effective-mode",
  description:
    "The mTLS mode the sidecars of a namespace (or of the workloads labelled workloadLabels, or their port) really accept, composed as istiod does: the oldest selector-less PeerAuthentication of the root namespace (mesh), then of the namespace, then the oldest selecting the workload, then its portLevelMtls for the port; each overrides the one before, and UNSET or no policy inherits (PERMISSIVE when nothing is set). So a mesh-wide, namespace or workload policy all pass when the effect is right, and a mesh-wide STRICT does not make STRICT a namespace whose own policy says PERMISSIVE.",
  params: z.strictObject({
    namespace: z.string().min(1),
    workloadLabels: ZLabels.optional().describe(
      "labels of the workload's pods; omitted: the namespace as a whole (workload policies not counted)",
    ),
    port: ZPort.optional().describe("the workload (container) port: portLevelMtls keys are target ports"),
    mode: z.enum(["STRICT", "PERMISSIVE", "DISABLE"]),
  }),
  example: { namespace: "shop", workloadLabels: { app: "httpbin" }, mode: "STRICT" },
  kinds: [K.peerAuthentication, K.configMap],
  run(p, { snapshot }) {
    const e = effectiveMtls(
      snapshot.list(K.peerAuthentication),
      { namespace: p.namespace, labels: p.workloadLabels, port: p.port },
      rootNamespace(snapshot),
    );
    const who = `${p.workloadLabels ? `workloads labelled ${formatLabels(p.workloadLabels)}` : "workloads"} in namespace ${p.namespace}${p.port !== undefined ? ` on port ${p.port}` : ""}`;
    const evidence = e.levels.map((l) => evidenceOf(l.policy, l.field.replace(/\.mode$/, "")));
    if (e.mode !== p.mode) return fail(`${who} accept mTLS ${e.mode}, expected ${p.mode}: ${explainMtls(e)}`, evidence);
    return pass(`${who} accept mTLS ${e.mode}: ${explainMtls(e)}`, evidence);
  },
});

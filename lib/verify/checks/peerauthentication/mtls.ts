// peerauthentication.mtls: the mTLS mode at mesh, namespace or workload scope, and port exceptions.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { describeObject, rec, sortOldestFirst, specOf, str } from "../../../istio/fields";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, rootNamespace, selectorOf, ZLabels } from "../common";

const MODES = ["STRICT", "PERMISSIVE", "DISABLE"] as const;

function modeOf(pa: KubeObject | undefined): string {
  return (pa && str(rec(specOf(pa).mtls).mode)) || "UNSET";
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
    "The mTLS mode of a PeerAuthentication at mesh scope (selector-less, root namespace), namespace scope (selector-less) or workload scope (selector), and port exceptions. UNSET inherits from the scope above (the mesh's UNSET is PERMISSIVE), a namespace with no policy of its own inherits the mesh mode, and a port without a mode (or UNSET) takes the workload's effective mode; with several selector-less policies the oldest wins. To grade the mode a namespace or workload really gets (a namespace PERMISSIVE under a mesh STRICT), use peerauthentication.effective-mode.",
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
    // A namespace with no policy of its own inherits the mesh mode (pilot's ComposePeerAuthentication).
    if (!target && p.scope === "namespace" && p.mode && !p.portLevelMtls) {
      const source = mesh.used ? ` from ${describeObject(mesh.used)}` : " (no mesh-wide policy: the default)";
      const text = `no PeerAuthentication without selector in namespace ${p.namespace}, so it inherits the mesh mode ${meshMode}${source}`;
      return meshMode === p.mode
        ? pass(text, mesh.used ? [evidenceOf(mesh.used, "spec", specOf(mesh.used))] : [])
        : fail(`${text}, expected ${p.mode}`);
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

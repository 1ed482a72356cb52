// workloadgroup.exists: a WorkloadGroup, the template VMs register with.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { describeObject, isRec, num, type Rec, rec, show, specOf, str, strMap } from "../../../istio/fields";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, noneFound, pass, ZLabels, ZNamespace, ZPort } from "../common";

export const workloadGroupExists = defineCheck({
  name: "workloadgroup.exists",
  description:
    "A WorkloadGroup whose metadata labels (spec.metadata.labels) include the given ones, with the template's serviceAccount and network, and optionally a readiness probe (of a type, port and path; httpGet.path defaults to /).",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    labels: ZLabels.optional(),
    serviceAccount: z.string().min(1).optional(),
    network: z.string().min(1).optional(),
    probe: z
      .union([
        z.boolean(),
        z.strictObject({
          type: z.enum(["httpGet", "tcpSocket", "exec"]).optional(),
          port: ZPort.optional(),
          path: z.string().startsWith("/").optional(),
        }),
      ])
      .optional()
      .describe("true: spec.probe must be set; or the probe asked for: its type, port and (httpGet) path"),
  }),
  example: { namespace: "vm", name: "legacy", labels: { app: "legacy" }, serviceAccount: "legacy", probe: true },
  kinds: [K.workloadGroup],
  run(p, { snapshot }) {
    const groups = listNamed(snapshot, K.workloadGroup, p.namespace, p.name);
    return firstPassing(
      groups,
      (g) => {
        const spec = specOf(g);
        const labels = strMap(rec(spec.metadata).labels);
        const template = rec(spec.template);
        const wrong: string[] = [];
        if (p.labels && !matchesLabels(p.labels, labels))
          wrong.push(`metadata.labels is ${formatLabels(labels)}, expected ${formatLabels(p.labels)}`);
        if (p.serviceAccount && str(template.serviceAccount) !== p.serviceAccount)
          wrong.push(`template.serviceAccount is ${show(template.serviceAccount)}, expected ${p.serviceAccount}`);
        if (p.network && str(template.network) !== p.network)
          wrong.push(`template.network is ${show(template.network)}, expected ${p.network}`);
        if (p.probe !== undefined && p.probe !== false) {
          const problem = isRec(spec.probe) ? probeProblem(rec(spec.probe), p.probe) : "is unset";
          if (problem) wrong.push(`probe ${problem}`);
        }
        const evidence = [evidenceOf(g, "spec", spec)];
        if (wrong.length > 0) return fail(`${describeObject(g)} spec.${wrong.join("; spec.")}`, evidence);
        return pass(`${describeObject(g)} matches`, evidence);
      },
      noneFound("WorkloadGroup", p.namespace, p.name),
    );
  },
});

const PROBE_TYPES = ["httpGet", "tcpSocket", "exec"] as const;

/** Why a readiness probe is not the one asked for: its handler (httpGet, tcpSocket or exec), port and path. */
function probeProblem(probe: Rec, want: true | { type?: string; port?: number; path?: string }): string | undefined {
  const types = PROBE_TYPES.filter((t) => isRec(probe[t]));
  if (types.length !== 1)
    return `sets ${types.length === 0 ? "no handler" : types.join(" and ")}: Istio wants exactly one of httpGet, tcpSocket or exec`;
  if (want === true) return undefined;
  const type = types[0];
  const handler = rec(probe[type]);
  const wantType = want.type ?? (want.path !== undefined ? "httpGet" : undefined);
  if (wantType !== undefined && type !== wantType) return `is ${type}, expected ${wantType}`;
  if (want.port !== undefined && type !== "exec" && num(handler.port) !== want.port)
    return `${type}.port is ${show(handler.port)}, expected ${want.port}`;
  if (want.path !== undefined && (str(handler.path) ?? "/") !== want.path)
    return `${type}.path is ${show(handler.path ?? "/")}, expected ${want.path}`;
  return undefined;
}

// mesh.field: a field of the mesh config (the `mesh` key of ConfigMap istio), defaults applied.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { describeObject, readPath, show } from "../../../istio/fields";
import { meshConfigMapName, readMeshConfig } from "../../../istio/mesh-config";
import { defineCheck } from "../../types";
import { evidenceOf, fail, isSameValue, pass } from "../common";

export const meshField = defineCheck({
  name: "mesh.field",
  description:
    'A field of the mesh config (ConfigMap istio-system/istio, key `mesh`, or istio-<revision>) with Istio\'s defaults applied, so an absent key reads as its default (accessLogFile "", enablePrometheusMerge true, outboundTrafficPolicy.mode ALLOW_ANY, ...). Numbers and durations compare by value.',
  params: z
    .strictObject({
      path: z
        .string()
        .min(1)
        .describe(
          "dotted path, e.g. accessLogFile or outboundTrafficPolicy.mode or defaultConfig.holdApplicationUntilProxyStarts",
        ),
      equals: z.unknown().optional(),
      oneOf: z.array(z.unknown()).min(1).optional(),
      notEquals: z.unknown().optional(),
      revision: z.string().min(1).optional().describe("read istio-<revision> instead of istio"),
      namespace: z.string().min(1).default("istio-system").describe("istiod's namespace"),
    })
    .refine(
      (p) => p.equals !== undefined || p.oneOf !== undefined || p.notEquals !== undefined,
      "give equals, oneOf or notEquals",
    ),
  example: { path: "accessLogFile", equals: "/dev/stdout" },
  kinds: [K.configMap],
  run(p, { snapshot }) {
    const mesh = readMeshConfig(snapshot.list(K.configMap, p.namespace), {
      namespace: p.namespace,
      revision: p.revision,
    });
    const name = `ConfigMap ${p.namespace}/${meshConfigMapName(p.revision)}`;
    if (mesh.problem) return fail(mesh.problem);
    const actual = readPath(mesh.config, p.path);
    const writtenValue = readPath(mesh.written, p.path);
    const shown = writtenValue === undefined ? `${show(actual)} (Istio's default; the key is absent)` : show(actual);
    const evidence = mesh.source ? [evidenceOf(mesh.source, `data.mesh.${p.path}`, actual)] : [];
    const at = `${mesh.source ? describeObject(mesh.source) : name} data.mesh ${p.path}`;
    if (p.equals !== undefined && !isSameValue(actual, p.equals))
      return fail(`${at} is ${shown}, expected ${show(p.equals)}`, evidence);
    if (p.oneOf !== undefined && !p.oneOf.some((v) => isSameValue(actual, v)))
      return fail(`${at} is ${shown}, expected one of ${show(p.oneOf)}`, evidence);
    if (p.notEquals !== undefined && isSameValue(actual, p.notEquals))
      return fail(`${at} is ${shown}, expected anything else`, evidence);
    return pass(`${at} is ${shown}`, evidence);
  },
});

// hosts.resolve: every host a namespace's routing names is a Service or a ServiceEntry host
// (istioctl analyze IST0101), judged with Istio's rule that a name with a dot is not expanded.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { drHost } from "../../../istio/destination-rule";
import { isExportedTo } from "../../../istio/export-to";
import { arr, describeObject, isRec, rec, specOf, str, strs } from "../../../istio/fields";
import { DOMAIN_SUFFIX, hostCovers, isWildcard, parseServiceHost, resolveHost } from "../../../istio/hosts";
import { gatewaysOf, MESH_GATEWAY } from "../../../istio/virtual-service";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";

interface HostRef {
  object: KubeObject;
  path: string;
  written: string;
  resolved: string;
}

/** Destination hosts of a VirtualService: http/tcp/tls routes, mirror, mirrors. */
function destinationRefs(vs: KubeObject): HostRef[] {
  const ns = vs.metadata.namespace ?? "";
  const spec = specOf(vs);
  const refs: HostRef[] = [];
  const add = (path: string, dest: unknown): void => {
    const h = str(rec(dest).host);
    if (h !== undefined) refs.push({ object: vs, path: `${path}.host`, written: h, resolved: resolveHost(h, ns) });
  };
  for (const section of ["http", "tcp", "tls"] as const) {
    arr(spec[section]).forEach((r, i) => {
      arr(rec(r).route).forEach((d, j) => {
        add(`spec.${section}[${i}].route[${j}].destination`, rec(d).destination);
      });
      if (section === "http") {
        if (isRec(rec(r).mirror)) add(`spec.http[${i}].mirror`, rec(r).mirror);
        arr(rec(r).mirrors).forEach((m, j) => {
          add(`spec.http[${i}].mirrors[${j}].destination`, rec(m).destination);
        });
      }
    });
  }
  return refs;
}

function whyMissing(written: string, resolved: string): string {
  const svc = parseServiceHost(resolved);
  const means = written.includes(".") ? "" : `it means ${resolved}, and `;
  if (svc) return `${means}there is no Service ${svc.name} in namespace ${svc.namespace}`;
  return `Istio takes a name with a dot as written, and no Service or ServiceEntry has host ${resolved}`;
}

export const hostsResolve = defineCheck({
  name: "hosts.resolve",
  description:
    "Every destination host (route, mirror, mirrors) of the namespace's VirtualServices, every host of those bound only to the mesh, and (by default) every DestinationRule host resolves to an existing Service or a ServiceEntry host. A short name resolves in the object's namespace; a name with a dot is taken as written (helloworld.shop matches nothing).",
  params: z.strictObject({
    namespace: ZNamespace,
    includeDestinationRules: z.boolean().default(true),
  }),
  example: { namespace: "shop" },
  kinds: [K.virtualService, K.destinationRule, K.service, K.serviceEntry],
  run(p, { snapshot }) {
    const known = new Set(
      snapshot.list(K.service).map((s) => `${s.metadata.name}.${s.metadata.namespace}.svc.${DOMAIN_SUFFIX}`),
    );
    const entryHosts = snapshot
      .list(K.serviceEntry)
      .filter((se) => isExportedTo(se, p.namespace))
      .flatMap((se) => strs(specOf(se).hosts).map((h) => h.toLowerCase()));
    const exists = (host: string): boolean => known.has(host) || entryHosts.some((e) => hostCovers(e, host));
    const vss = snapshot.list(K.virtualService, p.namespace);
    const drs = p.includeDestinationRules ? snapshot.list(K.destinationRule, p.namespace) : [];
    const refs: HostRef[] = [];
    for (const vs of vss) {
      // Hosts of a VirtualService bound to a gateway may be external names; only mesh-only ones must be services.
      const gateways = gatewaysOf(vs);
      if (gateways.length === 1 && gateways[0] === MESH_GATEWAY) {
        strs(specOf(vs).hosts).forEach((h, i) => {
          refs.push({ object: vs, path: `spec.hosts[${i}]`, written: h, resolved: resolveHost(h, p.namespace) });
        });
      }
      refs.push(...destinationRefs(vs));
    }
    for (const dr of drs)
      refs.push({ object: dr, path: "spec.host", written: str(specOf(dr).host) ?? "", resolved: drHost(dr) });
    const checked = refs.filter((r) => !isWildcard(r.resolved) && r.resolved !== "");
    const missing = checked.filter((r) => !exists(r.resolved));
    if (missing.length > 0) {
      const lines = missing.map((r) => {
        return `${describeObject(r.object)} ${r.path} is ${JSON.stringify(r.written)}: ${whyMissing(r.written, r.resolved)}`;
      });
      return fail(
        lines.join("; "),
        missing.map((r) => evidenceOf(r.object, r.path, r.written)),
      );
    }
    if (checked.length === 0)
      return pass(`namespace ${p.namespace} has no VirtualService or DestinationRule hosts to resolve`);
    return pass(
      `all ${checked.length} hosts named in namespace ${p.namespace} resolve to a Service or ServiceEntry`,
      checked.map((r) => evidenceOf(r.object, r.path, r.written)),
    );
  },
});

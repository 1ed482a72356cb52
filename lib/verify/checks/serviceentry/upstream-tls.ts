// serviceentry.upstream-tls: what a client's sidecar sends to an external host, as Envoy would:
// plain text or TLS it originates, and to which port.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { effectivePolicy, findDestinationRule } from "../../../istio/destination-rule";
import { isExportedTo } from "../../../istio/export-to";
import { arr, describeObject, num, type Rec, rec, show, specOf, str, strs } from "../../../istio/fields";
import { sampleRequest } from "../../../istio/http-match";
import { readMeshConfig } from "../../../istio/mesh-config";
import { resolveRouting } from "../../../istio/routing";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, rootNamespace, ZNamespace, ZPort } from "../common";

const MODES = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"] as const;
type Mode = (typeof MODES)[number];

const SAYS: Record<Mode, string> = {
  DISABLE: "the application's bytes as they are, no TLS of its own (DISABLE)",
  SIMPLE: "TLS it originates (SIMPLE)",
  MUTUAL: "TLS with a client certificate it originates (MUTUAL)",
  ISTIO_MUTUAL: "Istio mutual TLS (ISTIO_MUTUAL)",
};

function serviceEntryFor(ses: readonly KubeObject[], host: string, namespace: string): KubeObject | undefined {
  return ses.find((se) => strs(specOf(se).hosts).some((h) => h.toLowerCase() === host) && isExportedTo(se, namespace));
}

export const serviceEntryUpstreamTls = defineCheck({
  name: "serviceentry.upstream-tls",
  description:
    "What a client's sidecar sends to an external host (a ServiceEntry host) when the application calls it on a port: the VirtualService route for that port (its destination port), the ServiceEntry port's targetPort, and the DestinationRule TLS for the destination port (portLevelSettings, else the top level, else the route's subset). Without `tls` a MESH_EXTERNAL host gets plain text (auto mTLS never applies to it); a MESH_INTERNAL one gets Istio mTLS when auto mTLS is on.",
  params: z.strictObject({
    host: z.string().min(1).describe("the external host, as in the ServiceEntry's hosts"),
    namespace: ZNamespace.describe("namespace of the calling client"),
    port: ZPort.describe("the port the application calls"),
    mode: z.enum(MODES).describe("what the sidecar sends: DISABLE is plain text"),
    upstreamPort: ZPort.optional().describe("the port of the host the sidecar connects to"),
    sni: z.string().min(1).optional().describe("the SNI the originated TLS must carry (default: the host)"),
  }),
  example: { host: "httpbin.org", namespace: "shop", port: 80, mode: "SIMPLE", upstreamPort: 443 },
  kinds: [K.serviceEntry, K.virtualService, K.destinationRule, K.configMap],
  run(p, { snapshot }) {
    const host = p.host.toLowerCase();
    const ses = snapshot.list(K.serviceEntry);
    const se = serviceEntryFor(ses, host, p.namespace);
    if (!se) return fail(`no ServiceEntry visible to namespace ${p.namespace} names host ${p.host}`);
    const seLabel = describeObject(se);
    // 1. The route for the port the app calls (no VirtualService: the same port).
    const routing = resolveRouting(
      snapshot.list(K.virtualService),
      host,
      p.namespace,
      sampleRequest({ port: p.port, gateway: "mesh", sourceNamespace: p.namespace }),
    );
    let destPort = p.port;
    let subset: string | undefined;
    let via = `no VirtualService for ${p.host}, so port ${p.port} goes to port ${p.port}`;
    const evidence = [evidenceOf(se, "spec.ports", specOf(se).ports)];
    if (routing.matched) {
      const rule = routing.matched;
      const dests = arr(rule.rule.route).map((r) => rec(rec(r).destination));
      const at = `${describeObject(rule.vs)} ${rule.path}.route`;
      evidence.push(evidenceOf(rule.vs, `${rule.path}.route`, rule.rule.route));
      if (dests.length === 0) return fail(`${at}: the rule for port ${p.port} has no route`);
      const other = dests.find((d) => (str(d.host) ?? "").toLowerCase() !== host);
      if (other) return fail(`${at} sends ${p.host}:${p.port} to ${show(other.host)}, not to ${p.host}`, evidence);
      const ports = [...new Set(dests.map((d) => num(rec(d.port).number) ?? p.port))];
      if (ports.length > 1) return fail(`${at} splits ${p.host}:${p.port} over ports ${ports.join(", ")}`, evidence);
      destPort = ports[0];
      subset = str(dests[0].subset);
      via = `${at} sends port ${p.port} to port ${destPort}${subset ? ` subset ${subset}` : ""}`;
    } else if (routing.rules.length > 0) {
      const names = [...new Set(routing.rules.map((r) => describeObject(r.vs)))].join(", ");
      const calledPort = arr(specOf(se).ports)
        .map(rec)
        .find((x) => num(x.number) === p.port);
      const protocol = (str(calledPort?.protocol) ?? "").toUpperCase();
      if (["HTTP", "HTTP2", "GRPC"].includes(protocol))
        return fail(`no rule of ${names} matches ${p.host}:${p.port}: the sidecar answers 404 (no route)`, evidence);
      via = `no rule of ${names} matches port ${p.port} (${protocol || "not HTTP"}), so port ${p.port} goes to port ${p.port}`;
    }
    // 2. The ServiceEntry port the route lands on, and the port of the host it connects to.
    const sePort = arr(specOf(se).ports)
      .map(rec)
      .find((x) => num(x.number) === destPort);
    if (!sePort)
      return fail(
        `${via}, which is no port of ${seLabel} (ports ${show(specOf(se).ports)}): nothing serves it`,
        evidence,
      );
    const upstream = num(sePort.targetPort) ?? destPort;
    // 3. The TLS the sidecar uses for that destination port.
    const drs = snapshot.list(K.destinationRule);
    const dr = findDestinationRule(drs, {
      host,
      clientNamespace: p.namespace,
      serviceNamespace: se.metadata.namespace,
      rootNamespace: rootNamespace(snapshot),
    });
    let mode: Mode;
    let tlsFrom: string;
    let tls: Rec = {};
    const location = str(specOf(se).location) ?? "MESH_EXTERNAL";
    const effective = dr ? effectivePolicy(dr, subset, destPort) : undefined;
    if (effective && rec(effective.policy.tls).mode !== undefined) {
      tls = rec(effective.policy.tls);
      mode = (str(tls.mode) as Mode) ?? "DISABLE";
      tlsFrom = `${effective.from.tls}.tls.mode is ${mode}`;
      const source = dr?.trafficPolicySource ?? dr?.sources[0];
      if (source) evidence.push(evidenceOf(source, "spec.trafficPolicy", specOf(source).trafficPolicy));
    } else if (location === "MESH_EXTERNAL") {
      mode = "DISABLE";
      tlsFrom = `no DestinationRule sets tls for ${p.host} port ${destPort}${dr ? ` (${dr.sources.map(describeObject).join(", ")} leaves it unset)` : ""}, and auto mTLS never applies to a MESH_EXTERNAL host`;
    } else {
      const autoMtls = readMeshConfig(snapshot.list(K.configMap)).config.enableAutoMtls !== false;
      mode = autoMtls ? "ISTIO_MUTUAL" : "DISABLE";
      tlsFrom = `no DestinationRule sets tls, ${seLabel} is MESH_INTERNAL and auto mTLS is ${autoMtls ? "on" : "off"}`;
    }
    const wrong: string[] = [];
    if (mode !== p.mode) wrong.push(`the sidecar sends ${SAYS[mode] ?? mode}, expected ${SAYS[p.mode]}`);
    if (p.upstreamPort !== undefined && upstream !== p.upstreamPort) {
      const how = num(sePort.targetPort) !== undefined ? `targetPort ${upstream}` : `port ${destPort} (no targetPort)`;
      wrong.push(`it connects to ${p.host}:${upstream} (${seLabel} ${how}), expected port ${p.upstreamPort}`);
    }
    if (mode === p.mode && (mode === "SIMPLE" || mode === "MUTUAL") && p.sni !== undefined) {
      const sni = str(tls.sni) ?? p.host;
      if (sni !== p.sni) wrong.push(`tls.sni is ${show(tls.sni ?? `unset (${p.host})`)}, expected ${p.sni}`);
    }
    const story = `${via}; ${tlsFrom}`;
    if (wrong.length > 0)
      return fail(`${p.host}:${p.port} from ${p.namespace}: ${story}: ${wrong.join("; ")}`, evidence);
    return pass(`${p.host}:${p.port} from ${p.namespace}: ${story}: ${SAYS[mode]} to port ${upstream}`, evidence);
  },
});

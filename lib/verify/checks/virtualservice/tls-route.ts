// virtualservice.tls-route: where a TLS connection for an SNI host goes without being decrypted:
// through a PASSTHROUGH server of an Istio Gateway, or from the sidecars (mesh).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { arr, num, type Rec, rec, specOf, str, strMap, strs } from "../../../istio/fields";
import { serverHostAdmits } from "../../../istio/gateway-hosts";
import { describeHost, hostCovers, mostSpecificHost, resolveHost } from "../../../istio/hosts";
import { matchesLabels } from "../../../istio/labels";
import { hostsOf, MESH_GATEWAY, resolveGatewayRef, vsLabel } from "../../../istio/virtual-service";
import { effectiveShares, formatPercent, isSamePercent, type WeightedDestination } from "../../../istio/weights";
import { type CheckOutcome, defineCheck, type Evidence, type Snapshot } from "../../types";
import { evidenceOf, fail, hostParam, listText, pass, ZHostParam, ZNamespace, ZPercent, ZPort } from "../common";
import { knownGatewayWorkloads, reachablePorts, tlsModeOf } from "../gateway/context";
import { portProtocol } from "../service/ports";
import { findRootVirtualServices, isOutcome, portProblem, serviceOf } from "./context";

const ZParams = z.strictObject({
  sni: ZHostParam.describe("the SNI host name the client sends, e.g. secure.example.com"),
  namespace: ZNamespace.describe("namespace of the destination Service (short hosts in `expect` resolve here)"),
  gateway: z
    .string()
    .min(1)
    .optional()
    .describe(
      "the Istio Gateway the connection arrives at (`name` in `namespace`, or `ns/name`); sidecars (mesh) when omitted",
    ),
  host: ZHostParam.optional().describe("mesh only: the Service the client connects to; default `sni`"),
  fromNamespace: z.string().min(1).optional().describe("mesh only: namespace of the client; default `namespace`"),
  port: ZPort.optional().describe(
    "the port the client connects to: on the gateway's Service (or the server's port number), or the Service port (mesh); any when omitted",
  ),
  expect: z
    .record(z.string().min(1), ZPercent)
    .refine((e) => Object.keys(e).length > 0, "name at least one destination")
    .describe("percent per destination host (or `host/subset`); unnamed destinations must get 0%"),
  destinationPort: ZPort.optional().describe(
    "the Service port every destination must reach: destination.port, else the Service's only port, else the port the connection arrived on",
  ),
});
type TParams = z.infer<typeof ZParams>;

/** A passthrough server's protocol: HTTPS or TLS (an HTTP server reads plain HTTP whatever its tls says). */
const TLS_PROTOCOLS = new Set(["TLS", "HTTPS"]);

interface TlsRuleHit {
  vs: KubeObject;
  path: string;
  rule: Rec;
  /** the sniHosts entry that matched the SNI */
  sniHost: string;
}

function serverHostName(entry: string): string {
  return (entry.includes("/") ? entry.slice(entry.indexOf("/") + 1) : entry).toLowerCase();
}

/**
 * The rule the connection hits: among every tls match whose port and gateways fit and whose
 * sniHosts cover the SNI, Envoy picks the filter chain with the most specific server name; a
 * later rule with the same SNI host is dropped by Istio (duplicate filter chain match).
 */
function pickRule(
  vss: readonly KubeObject[],
  sni: string,
  fits: (match: Rec, vs: KubeObject) => boolean,
): { hit?: TlsRuleHit; httpOnly: KubeObject[] } {
  const hits: TlsRuleHit[] = [];
  const httpOnly: KubeObject[] = [];
  for (const vs of vss) {
    const rules = arr(specOf(vs).tls).map(rec);
    if (rules.length === 0 && (arr(specOf(vs).http).length > 0 || arr(specOf(vs).tcp).length > 0)) httpOnly.push(vs);
    rules.forEach((rule, i) => {
      arr(rule.match)
        .map(rec)
        .forEach((match) => {
          if (!fits(match, vs)) return;
          const best = mostSpecificHost(
            sni,
            strs(match.sniHosts).map((h) => h.toLowerCase()),
          );
          if (best) hits.push({ vs, path: `spec.tls[${i}]`, rule, sniHost: best });
        });
    });
  }
  const exact = hits.find((h) => h.sniHost === sni);
  if (exact) return { hit: exact, httpOnly };
  const wild = [...hits].sort((a, b) => b.sniHost.length - a.sniHost.length)[0];
  return { hit: wild, httpOnly };
}

function describeMatch(m: Rec): string {
  const parts = [`sniHosts ${JSON.stringify(strs(m.sniHosts))}`];
  const port = num(m.port);
  if (port !== undefined) parts.push(`port ${port}`);
  if (strs(m.gateways).length > 0) parts.push(`gateways ${JSON.stringify(strs(m.gateways))}`);
  return parts.join(", ");
}

function describeDestination(d: WeightedDestination): string {
  return `${d.subset ? `subset ${d.subset} of ` : ""}${describeHost(d.writtenHost, d.host)}`;
}

/** The Service port a TLS destination reaches (GetDestinationCluster): its port, the Service's only port, else the listener's. */
function effectivePort(
  snapshot: Snapshot,
  d: WeightedDestination,
  listenerPort: number | undefined,
): number | undefined {
  if (d.port !== undefined) return d.port;
  const ports = arr(rec(serviceOf(snapshot, d.host)?.spec).ports)
    .map((p) => num(rec(p).port))
    .filter((p): p is number => p !== undefined);
  return ports.length === 1 ? ports[0] : listenerPort;
}

function gradeHit(p: TParams, hit: TlsRuleHit, snapshot: Snapshot, listenerPort: number | undefined): CheckOutcome {
  const where = `${vsLabel(hit.vs)} ${hit.path}`;
  const evidence: Evidence[] = [evidenceOf(hit.vs, hit.path, hit.rule)];
  const shares = effectiveShares(hit.rule.route, hit.vs.metadata.namespace ?? "");
  if (shares.problem) return fail(`${where}.route: ${shares.problem}; Istio rejects these weights`, evidence);
  const wrong: string[] = [];
  const assigned = new Set<WeightedDestination>();
  for (const [key, expected] of Object.entries(p.expect)) {
    const slash = key.lastIndexOf("/");
    const host = resolveHost(slash > 0 ? key.slice(0, slash) : key, p.namespace);
    const subset = slash > 0 ? key.slice(slash + 1) : undefined;
    const dests = shares.destinations.filter(
      (d) => d.host === host && (subset === undefined || d.subset === subset) && !assigned.has(d),
    );
    for (const d of dests) assigned.add(d);
    const actual = dests.reduce((s, d) => s + d.percent, 0);
    if (!isSamePercent(actual, expected))
      wrong.push(`${key} gets ${formatPercent(actual)}, expected ${formatPercent(expected)}`);
  }
  for (const d of shares.destinations)
    if (!assigned.has(d) && d.percent > 0)
      wrong.push(`${describeDestination(d)} gets ${formatPercent(d.percent)}, expected 0%`);
  for (const d of shares.destinations.filter((x) => x.percent > 0)) {
    const at = `${where}.route[${d.index}].destination.port.number`;
    const missing = portProblem(snapshot, d.host, d.port);
    if (missing) {
      wrong.push(`${at} ${missing.replace("the request gets 503", "the connection fails")}`);
      continue;
    }
    const port = effectivePort(snapshot, d, listenerPort);
    if (p.destinationPort !== undefined && port !== p.destinationPort) {
      const how =
        d.port !== undefined ? `is ${port}` : `is unset, so the connection goes to port ${port ?? "(unknown)"}`;
      wrong.push(`${at} ${how}, expected ${p.destinationPort}`);
    }
  }
  const summary = shares.destinations.map((d) => `${formatPercent(d.percent)} to ${describeDestination(d)}`).join(", ");
  const head = `${where} (sniHosts ${hit.sniHost}) sends ${summary}`;
  return wrong.length > 0 ? fail(`${head}: ${listText(wrong)}`, evidence) : pass(head, evidence);
}

function gradeAtGateway(p: TParams & { gateway: string }, snapshot: Snapshot): CheckOutcome {
  const sni = p.sni.toLowerCase();
  const gwRef = resolveGatewayRef(p.gateway, p.namespace);
  const [gwNs, gwName] = gwRef.split("/");
  const gw = snapshot.get(K.gateway, gwName, gwNs);
  if (!gw) return fail(`Gateway ${gwRef} not found`);
  const selector = strMap(specOf(gw).selector);
  const workloads = knownGatewayWorkloads(snapshot).filter((w) => matchesLabels(selector, w.labels));
  const servers = arr(specOf(gw).servers).map(rec);
  const reaches = (s: Rec): boolean => {
    const n = num(rec(s.port).number);
    if (p.port === undefined || n === p.port) return true;
    return n !== undefined && workloads.some((w) => reachablePorts(n, w).some((r) => r.port.port === p.port));
  };
  const forSni = servers
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => reaches(s) && strs(s.hosts).some((h) => hostCovers(serverHostName(h), sni)));
  const isTlsProtocol = (s: Rec) => TLS_PROTOCOLS.has((str(rec(s.port).protocol) ?? "").toUpperCase());
  const passthrough = forSni.filter(({ s }) => tlsModeOf(s) === "PASSTHROUGH" && isTlsProtocol(s));
  const on = p.port === undefined ? "" : ` on port ${p.port}`;
  if (passthrough.length === 0) {
    const seen = forSni.map(({ s, i }) => {
      const mode = tlsModeOf(s);
      const proto = str(rec(s.port).protocol) ?? "";
      if (mode === undefined || !isTlsProtocol(s))
        return `spec.servers[${i}] has protocol ${proto || "(none)"}${mode === undefined ? " and no tls" : ""}, so the gateway reads the connection as plain ${proto || "traffic"} (a passthrough server has protocol TLS or HTTPS)`;
      return `spec.servers[${i}] has tls.mode ${mode}, so the gateway ${mode === "AUTO_PASSTHROUGH" ? "routes by the SNI as a mesh cluster name and ignores VirtualServices" : "terminates TLS itself and uses no tls routes"}`;
    });
    const why = seen.length > 0 ? `: ${seen.join("; ")}` : ` (no server${on} accepts ${sni})`;
    return fail(`Gateway ${gwRef} has no PASSTHROUGH server for ${sni}${on}${why}`, [evidenceOf(gw, "spec.servers")]);
  }
  const found = findRootVirtualServices({ host: sni, namespace: p.namespace, gateway: p.gateway }, snapshot);
  if (isOutcome(found)) return found;
  for (const { s } of passthrough) {
    const serverPort = num(rec(s.port).number);
    const entries = strs(s.hosts);
    const bound = found.roots.filter((vs) =>
      entries.some((e) => hostsOf(vs).some((h) => serverHostAdmits(e, vs.metadata.namespace ?? "", gwNs, h.resolved))),
    );
    const { hit } = pickRule(bound, sni, (match, vs) => {
      const port = num(match.port);
      const gateways = strs(match.gateways).map((g) => resolveGatewayRef(g, vs.metadata.namespace ?? ""));
      return (port === undefined || port === serverPort) && (gateways.length === 0 || gateways.includes(gwRef));
    });
    if (hit) return gradeHit(p, hit, snapshot, serverPort);
  }
  const { httpOnly } = pickRule(found.roots, sni, () => false);
  const notes = found.roots.map((vs) => {
    if (httpOnly.includes(vs))
      return `${vsLabel(vs)} has no tls rules (a PASSTHROUGH server does not decrypt, so http and tcp rules never apply there)`;
    const matches = arr(specOf(vs).tls).flatMap((r, i) =>
      arr(rec(r).match).map((m, j) => `spec.tls[${i}].match[${j}] has ${describeMatch(rec(m))}`),
    );
    return `${vsLabel(vs)} ${matches.length > 0 ? listText(matches) : "has no tls rules"}`;
  });
  const names = listText(found.roots.map(vsLabel));
  return fail(
    `no tls rule of ${names} matches SNI ${sni} at Gateway ${gwRef}${on}${notes.length > 0 ? `: ${notes.join("; ")}` : ""}; the gateway closes the connection`,
    found.roots.map((vs) => evidenceOf(vs, "spec.tls")),
  );
}

/**
 * The ports where sidecars read the SNI (buildSidecarOutboundTLSFilterChainOpts): only ports whose
 * protocol is TLS or HTTPS get tls rules, on the host's Service (by name or appProtocol) or its
 * ServiceEntry (by protocol). Undefined when neither is in sight; a message when the client's port
 * (or every port) is not one of them.
 */
function sidecarTlsPorts(
  snapshot: Snapshot,
  host: string,
  clientPort: number | undefined,
): number[] | string | undefined {
  const service = serviceOf(snapshot, host);
  const entry = service
    ? undefined
    : snapshot.list(K.serviceEntry).find((se) => strs(specOf(se).hosts).some((h) => hostCovers(h.toLowerCase(), host)));
  const owner = service ?? entry;
  if (!owner) return undefined;
  const ports = arr(rec(owner.spec).ports)
    .map(rec)
    .map((port) => {
      const declared = service ? portProtocol(port) : { protocol: str(port.protocol)?.toUpperCase(), from: "" };
      return { number: service ? num(port.port) : num(port.number), ...declared };
    });
  const isTls = (port: (typeof ports)[number]) => TLS_PROTOCOLS.has((port.protocol ?? "").toUpperCase());
  const protocolText = (port: (typeof ports)[number]) => {
    const from = port.from ? ` (${port.from})` : "";
    return `port ${port.number} has ${port.protocol ? `protocol ${port.protocol}` : "no declared protocol"}${from}`;
  };
  const label = `${service ? "Service" : "ServiceEntry"} ${owner.metadata.namespace}/${owner.metadata.name}`;
  const rule = "sidecars apply tls rules only on TLS or HTTPS ports";
  if (clientPort !== undefined) {
    const port = ports.find((x) => x.number === clientPort);
    if (port && !isTls(port))
      return `${label} ${protocolText(port)}: ${rule}, so connections to it do not follow the VirtualService's tls rules`;
  }
  const tls = ports.filter(isTls);
  if (tls.length === 0)
    return `${label} has no TLS or HTTPS port (${ports.map(protocolText).join("; ") || "no ports"}): ${rule}`;
  return tls.map((x) => x.number).filter((n): n is number => n !== undefined);
}

function gradeAtSidecars(p: TParams, snapshot: Snapshot): CheckOutcome {
  const sni = p.sni.toLowerCase();
  const client = p.fromNamespace ?? p.namespace;
  const host = hostParam(p.host ?? p.sni, p.namespace);
  const found = findRootVirtualServices(
    { host: host.written, namespace: p.namespace, fromNamespace: client },
    snapshot,
  );
  if (isOutcome(found))
    return fail(`${found.message}, so sidecars send TLS for ${sni} to ${host.text} itself`, found.evidence);
  const tlsPorts = sidecarTlsPorts(snapshot, host.resolved, p.port);
  if (typeof tlsPorts === "string") return fail(tlsPorts, [evidenceOf(found.roots[0], "spec.tls")]);
  const { hit } = pickRule(found.roots, sni, (match) => {
    const port = num(match.port);
    const gateways = strs(match.gateways);
    const sourceNamespace = str(match.sourceNamespace);
    const portFits =
      port === undefined ||
      (p.port !== undefined ? port === p.port : tlsPorts === undefined || tlsPorts.includes(port));
    return (
      portFits &&
      (gateways.length === 0 || gateways.includes(MESH_GATEWAY)) &&
      (sourceNamespace === undefined || sourceNamespace === client) &&
      Object.keys(strMap(match.sourceLabels)).length === 0
    );
  });
  if (!hit)
    return fail(
      `no tls rule of ${vsLabel(found.roots[0])} matches SNI ${sni} from namespace ${client}, so sidecars send it to ${host.text} itself`,
      [evidenceOf(found.roots[0], "spec.tls")],
    );
  return gradeHit(p, hit, snapshot, p.port);
}

export const virtualServiceTlsRoute = defineCheck({
  name: "virtualservice.tls-route",
  description:
    "Where a TLS connection for an SNI host goes without being decrypted: at a Gateway, through a server with tls.mode PASSTHROUGH (a `tls` block without mode is PASSTHROUGH; HTTPS or TLS protocol) that accepts the host, by the `tls` rules of the VirtualServices bound to that Gateway whose hosts fit the server's; at the sidecars (mesh), by the VirtualService for the host, and only on a Service (or ServiceEntry) port whose protocol is TLS or HTTPS (a TCP or undeclared port never reads the SNI). A match applies when its sniHosts cover the SNI (wildcards as Envoy: the most specific server name wins), its port is unset or the server's port (at the sidecars: the client's port, or any TLS port of the Service when `port` is omitted), and its gateways are unset or name the gateway. Route weights are relative; short and FQDN hosts are the same; a destination without port reaches the Service's only port, else the port the connection arrived on. SNI hosts must be a subset of the VirtualService's hosts, or Istio rejects it.",
  params: ZParams,
  example: {
    sni: "secure.example.com",
    namespace: "shop",
    gateway: "secure-gateway",
    port: 443,
    expect: { nginx: 100 },
    destinationPort: 443,
  },
  kinds: [K.virtualService, K.gateway, K.pod, K.deployment, K.service, K.serviceEntry],
  run(p, { snapshot }) {
    return p.gateway ? gradeAtGateway({ ...p, gateway: p.gateway }, snapshot) : gradeAtSidecars(p, snapshot);
  },
});

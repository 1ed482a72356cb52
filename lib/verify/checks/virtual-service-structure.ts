// VirtualService checks about shape and binding: existence, delegates, rule order, one VS per
// host, gateway binding, and subsets that exist.
import { z } from "zod";
import { K } from "../../cluster/kinds";
import type { KubeObject } from "../../cluster/types";
import type { HttpRule } from "../../istio/delegates";
import { expandHttpRules } from "../../istio/delegates";
import { findDestinationRule } from "../../istio/destination-rule";
import { arr, deepEqual, isRec, rec, specOf, str, strs } from "../../istio/fields";
import { describeHost, hostsOverlap, resolveHost } from "../../istio/hosts";
import { isCatchAll, isEnvoyCatchAll } from "../../istio/http-match";
import { gatewayRouteOrder } from "../../istio/routing";
import {
  gatewaysOf,
  hostsOf,
  MESH_GATEWAY,
  resolveGatewayRef,
  selectVirtualServices,
  vsAppliesToHost,
  vsLabel,
} from "../../istio/virtual-service";
import { defineCheck } from "../types";
import {
  evidenceOf,
  fail,
  firstPassing,
  hostParam,
  listText,
  noneFound,
  pass,
  rootNamespace,
  ZHostParam,
  ZNamespace,
} from "./common";
import { explainNoVirtualService, routeKinds, viewerNamespace } from "./vs-context";

export const virtualServiceExists = defineCheck({
  name: "virtualservice.exists",
  description:
    "A VirtualService exists in the namespace, optionally with a given name, naming a host, bound to given gateways.",
  params: z.strictObject({
    namespace: ZNamespace,
    name: z.string().min(1).optional(),
    host: ZHostParam.optional().describe("a host it must name (short names resolve in `namespace`)"),
    gateways: z.array(z.string().min(1)).optional().describe("gateways it must be bound to (`mesh`, `gw`, `ns/gw`)"),
  }),
  example: { namespace: "shop", name: "reviews", host: "reviews", gateways: ["mesh"] },
  kinds: [K.virtualService],
  run(p, { snapshot }) {
    const vss = snapshot
      .list(K.virtualService, p.namespace)
      .filter((vs) => p.name === undefined || vs.metadata.name === p.name);
    return firstPassing(
      vss,
      (vs) => {
        if (p.host !== undefined) {
          const h = hostParam(p.host, p.namespace);
          if (!vsAppliesToHost(vs, h.resolved)) {
            return fail(
              `${vsLabel(vs)} spec.hosts is ${JSON.stringify(strs(specOf(vs).hosts))}, which does not name ${h.text}`,
              [evidenceOf(vs, "spec.hosts")],
            );
          }
        }
        const bound = gatewaysOf(vs);
        const missing = (p.gateways ?? [])
          .map((g) => resolveGatewayRef(g, p.namespace))
          .filter((g) => !bound.includes(g));
        if (missing.length > 0)
          return fail(`${vsLabel(vs)} is bound to ${JSON.stringify(bound)}, not to ${listText(missing)}`, [
            evidenceOf(vs, "spec.gateways"),
          ]);
        return pass(`${vsLabel(vs)} exists`, [evidenceOf(vs)]);
      },
      noneFound("VirtualService", p.namespace, p.name),
    );
  },
});

const ZHostTarget = z.strictObject({
  host: ZHostParam,
  namespace: ZNamespace,
  fromNamespace: z.string().min(1).optional().describe("namespace of the calling client; default `namespace`"),
  gateway: z
    .string()
    .min(1)
    .optional()
    .describe(
      "grade what a gateway applies instead of the sidecars; exportTo is then read for the namespace of the gateway's workload (the Gateway's namespace when none is found)",
    ),
});

export const virtualServiceDelegate = defineCheck({
  name: "virtualservice.delegate",
  description:
    "The VirtualService for a host delegates: root rules with `delegate` and no `route`; each delegate exists, has no hosts, gateways, tcp or tls, is exported to the root's namespace, and its matches fit inside the root's match.",
  params: ZHostTarget.extend({
    delegates: z
      .array(z.strictObject({ name: z.string().min(1), namespace: z.string().min(1).optional() }))
      .optional()
      .describe("delegates that must be used (namespace defaults to the root's)"),
  }),
  example: { host: "reviews", namespace: "shop", delegates: [{ name: "reviews-api" }] },
  kinds: routeKinds,
  run(p, { snapshot }) {
    const vss = snapshot.list(K.virtualService);
    const host = hostParam(p.host, p.namespace);
    const client = viewerNamespace(p, snapshot);
    const gateway = p.gateway ? resolveGatewayRef(p.gateway, p.namespace) : MESH_GATEWAY;
    const selection = selectVirtualServices(vss, host.resolved, client, gateway);
    const roots = gateway === MESH_GATEWAY ? selection.candidates.slice(0, 1) : selection.candidates;
    if (roots.length === 0) return fail(explainNoVirtualService(vss, host, client, gateway));
    const problems: string[] = [];
    const used: string[] = [];
    for (const root of roots) {
      arr(specOf(root).http).forEach((r) => {
        const d = rec(rec(r).delegate);
        if (str(d.name)) used.push(`${str(d.namespace) ?? root.metadata.namespace}/${str(d.name)}`);
      });
      for (const pr of expandHttpRules(root, vss).problems) problems.push(`${vsLabel(pr.vs)} ${pr.path} ${pr.message}`);
    }
    const evidence = roots.map((r) => evidenceOf(r, "spec.http"));
    if (used.length === 0) return fail(`${listText(roots.map(vsLabel))} has no rule with \`delegate\``, evidence);
    const missing = (p.delegates ?? [])
      .map((d) => `${d.namespace ?? roots[0].metadata.namespace}/${d.name}`)
      .filter((d) => !used.includes(d));
    if (missing.length > 0) problems.push(`${listText(roots.map(vsLabel))} does not delegate to ${listText(missing)}`);
    if (problems.length > 0) return fail(problems.join("; "), evidence);
    return pass(`${listText(roots.map(vsLabel))} delegates to ${listText(used)}`, evidence);
  },
});

export const virtualServiceCatchAllLast = defineCheck({
  name: "virtualservice.catch-all-last",
  description:
    "The rules of the VirtualService for a host are all reachable: a catch-all rule (no match, or prefix /) comes last and no rule repeats an earlier rule's match (IST0130). Through a `gateway` the rules of every VirtualService bound to it count, and since Istio moves a gateway's catch-all routes to the end only a second catch-all or a repeated match is unreachable.",
  params: ZHostTarget.extend({
    requireCatchAll: z.boolean().default(true).describe("fail when no rule catches the remaining requests"),
  }),
  example: { host: "reviews", namespace: "shop" },
  kinds: routeKinds,
  run(p, { snapshot }) {
    const vss = snapshot.list(K.virtualService);
    const host = hostParam(p.host, p.namespace);
    const gateway = p.gateway ? resolveGatewayRef(p.gateway, p.namespace) : MESH_GATEWAY;
    const client = viewerNamespace(p, snapshot);
    const selection = selectVirtualServices(vss, host.resolved, client, gateway);
    const roots = gateway === MESH_GATEWAY ? selection.candidates.slice(0, 1) : selection.candidates;
    if (roots.length === 0) return fail(explainNoVirtualService(vss, host, client, gateway));
    const rules = roots.flatMap((root) => expandHttpRules(root, vss).rules);
    const label = (r: HttpRule): string => `${vsLabel(r.vs)} ${r.path}`;
    const evidence = roots.map((root) => evidenceOf(root, "spec.http"));
    const names = listText(roots.map(vsLabel));
    let catchAll: HttpRule | undefined;
    if (gateway === MESH_GATEWAY) {
      const at = rules.findIndex((r) => isCatchAll(r.rule));
      catchAll = rules[at];
      if (at >= 0 && at < rules.length - 1) {
        return fail(
          `${label(rules[at])} matches every request, so ${listText(rules.slice(at + 1).map(label))} never apply: move the catch-all last`,
          evidence,
        );
      }
    } else {
      // Envoy tries the gateway's catch-all routes last, in order: only the first of them is ever used.
      const catchAlls = gatewayRouteOrder(rules).filter((r) => isEnvoyCatchAll(r.match));
      catchAll = catchAlls[0]?.rule;
      const shadowed = [...new Set(catchAlls.slice(1).map((r) => r.rule))].filter((r) => r !== catchAll);
      if (catchAll && shadowed.length > 0)
        return fail(
          `${label(catchAll)} matches every request, so ${listText(shadowed.map(label))} never ${shadowed.length > 1 ? "apply" : "applies"}`,
          evidence,
        );
    }
    for (let i = 1; i < rules.length; i++) {
      const matches = arr(rules[i].rule.match);
      const earlier = rules
        .slice(0, i)
        .findIndex((r) => matches.length > 0 && matches.every((m) => arr(r.rule.match).some((e) => deepEqual(e, m))));
      if (earlier >= 0)
        return fail(
          `${label(rules[i])} repeats the match of ${label(rules[earlier])} and is never used (IST0130)`,
          evidence,
        );
    }
    if (!catchAll && p.requireCatchAll)
      return fail(`${names} has no catch-all rule: requests that match no rule get 404`, evidence);
    return pass(
      `${names}: every rule is reachable${catchAll ? ` and ${label(catchAll)} catches the rest` : ""}`,
      evidence,
    );
  },
});

export const virtualServiceUniqueHost = defineCheck({
  name: "virtualservice.unique-host",
  description:
    "Exactly one VirtualService bound to the mesh names the host for clients in `fromNamespace` (IST0109): with two, Istio silently uses the oldest and drops the other's rules.",
  params: ZHostTarget.omit({ gateway: true }),
  example: { host: "reviews", namespace: "shop" },
  kinds: [K.virtualService],
  run(p, { snapshot }) {
    const vss = snapshot.list(K.virtualService);
    const host = hostParam(p.host, p.namespace);
    const client = p.fromNamespace ?? p.namespace;
    const { candidates } = selectVirtualServices(vss, host.resolved, client);
    const evidence = candidates.map((vs) => evidenceOf(vs, "spec.hosts"));
    if (candidates.length === 0) return fail(explainNoVirtualService(vss, host, client, MESH_GATEWAY));
    if (candidates.length > 1) {
      return fail(
        `${candidates.length} VirtualServices name host ${host.text} for the mesh: Istio uses ${vsLabel(candidates[0])} and ignores ${listText(candidates.slice(1).map(vsLabel))}; merge their rules into one (or use delegates)`,
        evidence,
      );
    }
    return pass(`only ${vsLabel(candidates[0])} names host ${host.text} for the mesh`, evidence);
  },
});

/** Gateway server hosts are `host`, `ns/host`, `./host` or `*\/host`; the namespace part limits which VirtualServices may bind. */
function serverHostAllows(entry: string, vsNamespace: string, gatewayNamespace: string, host: string): boolean {
  const slash = entry.indexOf("/");
  const ns = slash >= 0 ? entry.slice(0, slash) : "*";
  const h = slash >= 0 ? entry.slice(slash + 1) : entry;
  const nsOk = ns === "*" || ns === vsNamespace || (ns === "." && vsNamespace === gatewayNamespace);
  return nsOk && hostsOverlap(h.toLowerCase(), host);
}

function gatewayServerHosts(gw: KubeObject): string[] {
  return arr(specOf(gw).servers).flatMap((s) => strs(rec(s).hosts));
}

export const virtualServiceGateway = defineCheck({
  name: "virtualservice.gateway",
  description:
    "A VirtualService is bound to an Istio Gateway: `gateways` names it (`gw` resolves to the VirtualService's namespace) and at least one host of the VirtualService is allowed by a server of that Gateway (IST0132).",
  params: z.strictObject({
    namespace: ZNamespace.describe("namespace of the VirtualService"),
    name: z.string().min(1).optional().describe("the VirtualService; any in the namespace when omitted"),
    host: ZHostParam.optional().describe("a host the VirtualService must name"),
    gateway: z.string().min(1).describe("the Gateway: `name` (in `namespace`) or `ns/name`"),
    mesh: z.boolean().optional().describe("true: must also be bound to `mesh`; false: must not be"),
  }),
  example: { namespace: "shop", name: "bookinfo", gateway: "bookinfo-gateway", host: "bookinfo.example.com" },
  kinds: [K.virtualService, K.gateway],
  run(p, { snapshot }) {
    const gwRef = resolveGatewayRef(p.gateway, p.namespace);
    const [gwNs, gwName] = gwRef.split("/");
    const gw = snapshot.get(K.gateway, gwName, gwNs);
    if (!gw) return fail(`Gateway ${gwRef} not found`);
    const serverHosts = gatewayServerHosts(gw);
    const vss = snapshot
      .list(K.virtualService, p.namespace)
      .filter((vs) => p.name === undefined || vs.metadata.name === p.name);
    return firstPassing(
      vss,
      (vs) => {
        const label = vsLabel(vs);
        const hosts = hostsOf(vs);
        if (p.host !== undefined) {
          const h = resolveHost(p.host, p.namespace);
          if (!hosts.some((x) => hostsOverlap(x.resolved, h)))
            return fail(
              `${label} spec.hosts ${JSON.stringify(hosts.map((x) => x.written))} does not name ${describeHost(p.host, h)}`,
              [evidenceOf(vs, "spec.hosts")],
            );
        }
        const bound = gatewaysOf(vs);
        if (!bound.includes(gwRef))
          return fail(
            `${label} spec.gateways is ${JSON.stringify(strs(specOf(vs).gateways))}, which does not include ${gwRef}`,
            [evidenceOf(vs, "spec.gateways")],
          );
        if (p.mesh === true && !bound.includes(MESH_GATEWAY))
          return fail(`${label} spec.gateways lacks "mesh", so sidecars ignore it`, [evidenceOf(vs, "spec.gateways")]);
        if (p.mesh === false && bound.includes(MESH_GATEWAY))
          return fail(`${label} spec.gateways includes "mesh", which it should not`, [evidenceOf(vs, "spec.gateways")]);
        const ns = vs.metadata.namespace ?? "";
        const fitting = hosts.filter((h) => serverHosts.some((e) => serverHostAllows(e, ns, gwNs, h.resolved)));
        if (fitting.length === 0) {
          return fail(
            `${label} hosts ${JSON.stringify(hosts.map((h) => h.written))} match no server host of Gateway ${gwRef} ${JSON.stringify(serverHosts)} (IST0132)`,
            [evidenceOf(vs, "spec.hosts"), evidenceOf(gw, "spec.servers")],
          );
        }
        return pass(`${label} is bound to Gateway ${gwRef} for ${listText(fitting.map((h) => h.written))}`, [
          evidenceOf(vs, "spec.gateways"),
        ]);
      },
      noneFound("VirtualService", p.namespace, p.name),
    );
  },
});

export const virtualServiceSubsetsDefined = defineCheck({
  name: "virtualservice.subsets-defined",
  description:
    "Every subset the VirtualService for a host routes or mirrors to is defined by the DestinationRule the client uses for that destination (else IST0101 and 503s).",
  params: ZHostTarget.omit({ gateway: true }),
  example: { host: "reviews", namespace: "shop" },
  kinds: [K.virtualService, K.destinationRule, K.configMap],
  run(p, { snapshot }) {
    const vss = snapshot.list(K.virtualService);
    const drs = snapshot.list(K.destinationRule);
    const host = hostParam(p.host, p.namespace);
    const client = p.fromNamespace ?? p.namespace;
    const winner = selectVirtualServices(vss, host.resolved, client).winner;
    if (!winner) return fail(explainNoVirtualService(vss, host, client, MESH_GATEWAY));
    const root = rootNamespace(snapshot);
    const problems: string[] = [];
    let count = 0;
    for (const r of expandHttpRules(winner, vss).rules) {
      const ns = r.vs.metadata.namespace ?? "";
      const refs: [string, unknown][] = [
        ...arr(r.rule.route).map((d, i): [string, unknown] => [
          `${r.path}.route[${i}].destination`,
          rec(d).destination,
        ]),
        [`${r.path}.mirror`, r.rule.mirror],
        ...arr(r.rule.mirrors).map((m, i): [string, unknown] => [
          `${r.path}.mirrors[${i}].destination`,
          rec(m).destination,
        ]),
      ];
      for (const [path, dest] of refs) {
        if (!isRec(dest) || str(dest.subset) === undefined) continue;
        count++;
        const destHost = resolveHost(str(dest.host) ?? "", ns);
        const subset = str(dest.subset) ?? "";
        const dr = findDestinationRule(drs, { host: destHost, clientNamespace: client, rootNamespace: root });
        if (!dr)
          problems.push(
            `${vsLabel(r.vs)} ${path} uses subset ${subset} of ${destHost}, but no DestinationRule for that host applies to namespace ${client}`,
          );
        else if (!dr.subsets.some((s) => s.name === subset)) {
          problems.push(
            `${vsLabel(r.vs)} ${path} uses subset ${subset}, which DestinationRule ${dr.namespace}/${dr.sources[0].metadata.name} does not define (it has ${listText(dr.subsets.map((s) => s.name)) || "none"})`,
          );
        }
      }
    }
    if (problems.length > 0) return fail(problems.join("; "), [evidenceOf(winner, "spec.http")]);
    return pass(
      count === 0 ? `${vsLabel(winner)} uses no subsets` : `every subset ${vsLabel(winner)} uses is defined`,
      [evidenceOf(winner, "spec.http")],
    );
  },
});

// gateway.server: an Istio Gateway selects the gateway proxies and has a server as asked.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import {
  arr,
  bool,
  describeObject,
  labelsOf,
  num,
  type Rec,
  rec,
  show,
  specOf,
  str,
  strMap,
  strs,
} from "../../../istio/fields";
import { hostCovers } from "../../../istio/hosts";
import { templateOf } from "../../../istio/injection";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck, type Snapshot } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, noneFound, pass, ZLabels, ZNamespace, ZPort } from "../common";

/**
 * The selector must contain every expected label. Extra labels are fine as long as they still
 * select a workload the expected selector selects (when the snapshot has any).
 */
function selectorProblem(
  actual: Record<string, string>,
  expected: Record<string, string>,
  snapshot: Snapshot,
): string | undefined {
  const missing = Object.entries(expected).filter(([k, v]) => actual[k] !== v);
  if (missing.length > 0) return `selector is ${formatLabels(actual)}, expected ${formatLabels(expected)}`;
  if (Object.keys(actual).length === Object.keys(expected).length) return undefined;
  const workloads = [
    ...snapshot.list(K.pod).map(labelsOf),
    ...snapshot.list(K.deployment).map((d) => templateOf(d).labels),
  ].filter((labels) => matchesLabels(expected, labels));
  if (workloads.length === 0 || workloads.some((labels) => matchesLabels(actual, labels))) return undefined;
  return `selector ${formatLabels(actual)} selects none of the workloads ${formatLabels(expected)} selects`;
}

const ZServerExpect = z.strictObject({
  port: ZPort.optional().describe("port.number"),
  protocol: z.string().min(1).optional().describe("HTTP, HTTPS, HTTP2, GRPC, TCP, TLS (case-insensitive)"),
  hosts: z
    .array(z.string().min(1))
    .optional()
    .describe("hosts the server must accept (a covering wildcard counts unless exactHosts)"),
  exactHosts: z.boolean().default(false),
  tls: z
    .strictObject({
      mode: z
        .enum(["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"])
        .optional(),
      credentialName: z.string().min(1).optional(),
    })
    .optional(),
  httpsRedirect: z.boolean().optional().describe("tls.httpsRedirect on this (plain HTTP) server"),
});
type TServerExpect = z.infer<typeof ZServerExpect>;

function serverProblems(server: Rec, want: TServerExpect): string[] {
  const wrong: string[] = [];
  const port = rec(server.port);
  const tls = rec(server.tls);
  if (want.port !== undefined && num(port.number) !== want.port)
    wrong.push(`port.number is ${show(port.number)}, expected ${want.port}`);
  if (want.protocol !== undefined && (str(port.protocol) ?? "").toUpperCase() !== want.protocol.toUpperCase()) {
    wrong.push(`port.protocol is ${show(port.protocol)}, expected ${want.protocol}`);
  }
  const hosts = strs(server.hosts).map((h) => (h.includes("/") ? h.slice(h.indexOf("/") + 1) : h).toLowerCase());
  for (const h of want.hosts ?? []) {
    const ok = want.exactHosts ? hosts.includes(h.toLowerCase()) : hosts.some((x) => hostCovers(x, h.toLowerCase()));
    if (!ok) wrong.push(`hosts ${show(server.hosts)} do not include ${h}`);
  }
  if (want.tls?.mode !== undefined && str(tls.mode) !== want.tls.mode)
    wrong.push(`tls.mode is ${show(tls.mode)}, expected ${want.tls.mode}`);
  if (want.tls?.credentialName !== undefined && str(tls.credentialName) !== want.tls.credentialName) {
    wrong.push(`tls.credentialName is ${show(tls.credentialName)}, expected ${want.tls.credentialName}`);
  }
  if (want.httpsRedirect !== undefined && (bool(tls.httpsRedirect) ?? false) !== want.httpsRedirect) {
    wrong.push(`tls.httpsRedirect is ${show(tls.httpsRedirect)}, expected ${want.httpsRedirect}`);
  }
  return wrong;
}

export const gatewayServer = defineCheck({
  name: "gateway.server",
  description:
    "An Istio Gateway (networking.istio.io) selects the gateway proxies and has a server with the given port, protocol, hosts and TLS settings. Server hosts may be written `host` or `ns/host`; a covering wildcard accepts a host unless exactHosts.",
  params: ZServerExpect.extend({
    namespace: ZNamespace,
    name: z.string().min(1).optional().describe("the Gateway; any in the namespace when omitted"),
    selector: ZLabels.optional().describe("labels spec.selector must hold, e.g. { istio: ingressgateway }"),
  }),
  example: {
    namespace: "shop",
    name: "bookinfo-gateway",
    selector: { istio: "ingressgateway" },
    port: 443,
    protocol: "HTTPS",
    hosts: ["bookinfo.example.com"],
    tls: { mode: "SIMPLE", credentialName: "bookinfo-cert" },
  },
  kinds: [K.gateway, K.pod, K.deployment],
  run(p, { snapshot }) {
    const gws = listNamed(snapshot, K.gateway, p.namespace, p.name);
    return firstPassing(
      gws,
      (gw) => gradeGateway(gw, p, snapshot),
      noneFound("Gateway (networking.istio.io)", p.namespace, p.name),
    );
  },
});

function gradeGateway(gw: KubeObject, p: TServerExpect & { selector?: Record<string, string> }, snapshot: Snapshot) {
  const label = describeObject(gw);
  if (p.selector) {
    const problem = selectorProblem(strMap(specOf(gw).selector), p.selector, snapshot);
    if (problem) return fail(`${label} spec.${problem}`, [evidenceOf(gw, "spec.selector", specOf(gw).selector)]);
  }
  const servers = arr(specOf(gw).servers).map(rec);
  if (servers.length === 0) return fail(`${label} has no servers`, [evidenceOf(gw, "spec.servers")]);
  const graded = servers.map((s, i) => ({ i, wrong: serverProblems(s, p) }));
  const ok = graded.find((g) => g.wrong.length === 0);
  if (ok)
    return pass(`${label} spec.servers[${ok.i}] matches`, [evidenceOf(gw, `spec.servers[${ok.i}]`, servers[ok.i])]);
  // Report the server closest to what was asked (same port first, then fewest differences).
  const closest = [...graded].sort(
    (a, b) => samePort(servers[b.i], p) - samePort(servers[a.i], p) || a.wrong.length - b.wrong.length,
  )[0];
  return fail(`${label} spec.servers[${closest.i}]: ${closest.wrong.join("; ")}`, [
    evidenceOf(gw, `spec.servers[${closest.i}]`, servers[closest.i]),
  ]);
}

function samePort(server: Rec, p: TServerExpect): number {
  return p.port !== undefined && num(rec(server.port).number) === p.port ? 1 : 0;
}

// gateway.server: an Istio Gateway selects the gateway proxies and has a server as asked.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { arr, bool, describeObject, num, type Rec, rec, show, specOf, str, strMap, strs } from "../../../istio/fields";
import { hostCovers } from "../../../istio/hosts";
import { formatLabels, matchesLabels } from "../../../istio/labels";
import { defineCheck, type Snapshot } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, noneFound, pass, ZLabels, ZNamespace, ZPort } from "../common";
import { describePorts, type GatewayWorkload, knownGatewayWorkloads, reachablePorts, tlsModeOf } from "./context";

const ZTlsMode = z.enum(["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"]);

const ZServerExpect = z.strictObject({
  port: ZPort.optional().describe(
    "the port clients use on the gateway's Service: port.number may be it or the targetPort it maps to",
  ),
  protocol: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe("HTTP, HTTPS, HTTP2, GRPC, TCP, TLS (case-insensitive), or the protocols any of which passes"),
  hosts: z
    .array(z.string().min(1))
    .optional()
    .describe("hosts the server must accept (a covering wildcard counts unless exactHosts)"),
  exactHosts: z.boolean().default(false),
  tls: z
    .strictObject({
      mode: z
        .union([ZTlsMode, z.array(ZTlsMode).min(1)])
        .optional()
        .describe(
          "the server's TLS mode, or the modes any of which passes; a `tls` block without `mode` is PASSTHROUGH (Istio's default)",
        ),
      credentialName: z.string().min(1).optional(),
    })
    .optional(),
  httpsRedirect: z.boolean().optional().describe("tls.httpsRedirect on this (plain HTTP) server"),
});
type TServerExpect = z.infer<typeof ZServerExpect>;

function serverProblems(server: Rec, want: TServerExpect, targets: readonly GatewayWorkload[]): string[] {
  const wrong: string[] = [];
  const port = rec(server.port);
  const tls = rec(server.tls);
  const number = num(port.number);
  const reached = number === undefined ? [] : targets.flatMap((w) => reachablePorts(number, w));
  if (want.port !== undefined && number !== want.port && !reached.some((r) => r.port.port === want.port)) {
    wrong.push(`port.number is ${show(port.number)}, expected ${want.port}`);
  }
  const protocols = want.protocol === undefined ? undefined : [want.protocol].flat().map((x) => x.toUpperCase());
  if (protocols !== undefined && !protocols.includes((str(port.protocol) ?? "").toUpperCase())) {
    wrong.push(`port.protocol is ${show(port.protocol)}, expected ${protocols.join(" or ")}`);
  }
  const hosts = strs(server.hosts).map((h) => (h.includes("/") ? h.slice(h.indexOf("/") + 1) : h).toLowerCase());
  for (const h of want.hosts ?? []) {
    const ok = want.exactHosts ? hosts.includes(h.toLowerCase()) : hosts.some((x) => hostCovers(x, h.toLowerCase()));
    if (!ok) wrong.push(`hosts ${show(server.hosts)} do not include ${h}`);
  }
  const modes = want.tls?.mode === undefined ? undefined : [want.tls.mode].flat();
  const mode = tlsModeOf(server);
  if (modes !== undefined && (mode === undefined || !modes.includes(mode as (typeof modes)[number]))) {
    const is = mode !== undefined && str(tls.mode) === undefined ? "unset, which means PASSTHROUGH" : show(tls.mode);
    wrong.push(`tls.mode is ${is}, expected ${modes.join(" or ")}`);
  }
  if (want.tls?.credentialName !== undefined && credentialNameOf(server) !== want.tls.credentialName) {
    wrong.push(`tls.credentialName is ${show(tls.credentialName)}, expected ${want.tls.credentialName}`);
  }
  if (want.httpsRedirect !== undefined && (bool(tls.httpsRedirect) ?? false) !== want.httpsRedirect) {
    wrong.push(`tls.httpsRedirect is ${show(tls.httpsRedirect)}, expected ${want.httpsRedirect}`);
  }
  return wrong;
}

/** Clients reach the server's port through a Service of the gateway workload (IST0162). */
function exposureProblem(server: Rec, targets: readonly GatewayWorkload[]): string | undefined {
  const number = num(rec(server.port).number);
  if (number === undefined) return undefined;
  if (targets.some((w) => reachablePorts(number, w).length > 0)) return undefined;
  const withServices = targets.filter((w) => w.services.length > 0);
  if (withServices.length === 0)
    return `port.number ${number}: no Service selects the gateway workload (${targets.map((w) => w.label).join(", ")}), so nothing reaches it`;
  return `port.number ${number} is neither a port nor a targetPort of the gateway's Service (${withServices.map(describePorts).join("; ")}), so no client reaches it (IST0162)`;
}

const TERMINATING = new Set(["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"]);
const TLS_PROTOCOLS = new Set(["HTTPS", "TLS"]);
const HTTP_PROTOCOLS = new Set(["HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY"]);
const CLIENT_CA = new Set(["MUTUAL", "OPTIONAL_MUTUAL"]);

/** The keys of a Secret that hold a value (`data`, or `stringData` as written in a file). */
function filledKeys(secret: KubeObject): Set<string> {
  const o = secret as unknown as Rec;
  const out = new Set<string>();
  for (const field of ["data", "stringData"])
    for (const [k, v] of Object.entries(rec(o[field]))) if (typeof v === "string" && v.length > 0) out.add(k);
  return out;
}

/**
 * What SDS cannot serve from a credential Secret (pilot credentials/kube extractKeyAndCert and
 * extractRoot): the key pair is `tls.crt`+`tls.key` or `cert`+`key`; a MUTUAL server's client CA is
 * `ca.crt` or `cacert` of Secret `<name>-cacert` when that Secret exists, else of `<name>` itself.
 */
function secretContentProblem(secret: KubeObject, mode: string, snapshot: Snapshot): string | undefined {
  const label = `Secret ${secret.metadata.namespace}/${secret.metadata.name}`;
  const keys = filledKeys(secret);
  const listed = [...keys].sort().join(", ") || "none";
  const hasPair = (keys.has("tls.crt") && keys.has("tls.key")) || (keys.has("cert") && keys.has("key"));
  if (!hasPair)
    return `${label} holds no certificate and key (tls.crt and tls.key, or cert and key; it has ${listed}), so the gateway has nothing to serve`;
  if (!CLIENT_CA.has(mode)) return undefined;
  const caName = `${secret.metadata.name}-cacert`;
  const caSecret = snapshot.get(K.secret, caName, secret.metadata.namespace);
  const from = caSecret ?? secret;
  const caKeys = caSecret ? filledKeys(caSecret) : keys;
  if (caKeys.has("ca.crt") || caKeys.has("cacert")) return undefined;
  const fromLabel = `Secret ${from.metadata.namespace}/${from.metadata.name}`;
  const why = caSecret
    ? ` (Istio reads the client CA from ${caName} since it exists)`
    : ` and there is no Secret ${caName}`;
  return `tls.mode ${mode} needs the CA that signs client certificates: ${fromLabel} has no ca.crt or cacert (it has ${[...caKeys].sort().join(", ") || "none"})${why}`;
}

/**
 * The Secret a credentialName names: `name`, or `kubernetes://name` (credentials.ToResourceName
 * adds that prefix to a bare name, so both are the same Secret).
 */
function credentialNameOf(server: Rec): string | undefined {
  const name = str(rec(server.tls).credentialName);
  const prefix = "kubernetes://";
  return name?.startsWith(prefix) && !name.slice(prefix.length).includes("/") ? name.slice(prefix.length) : name;
}

/**
 * Why Istio's validation refuses the Gateway (validateServer, validateTLSOptions, unique port
 * names); one bad server refuses the whole Gateway.
 */
function validationProblems(servers: readonly Rec[]): string[] {
  const problems: string[] = [];
  const names = new Map<string, number>();
  servers.forEach((s, i) => {
    const at = `spec.servers[${i}]`;
    const protocol = (str(rec(s.port).protocol) ?? "").toUpperCase();
    const tls = rec(s.tls);
    const mode = tlsModeOf(s);
    const name = str(rec(s.port).name);
    if (name !== undefined) {
      const first = names.get(name);
      if (first !== undefined)
        problems.push(
          `${at}.port.name "${name}" repeats spec.servers[${first}]'s (port names in servers must be unique)`,
        );
      else names.set(name, i);
    }
    if (TLS_PROTOCOLS.has(protocol) && mode === undefined)
      problems.push(`${at} has protocol ${protocol} but no tls (HTTPS and TLS servers need TLS settings)`);
    if (!TLS_PROTOCOLS.has(protocol) && mode !== undefined) {
      if (!HTTP_PROTOCOLS.has(protocol))
        problems.push(
          `${at} has protocol ${protocol || "(none)"} and a tls block (only HTTPS, TLS and HTTP servers may have one)`,
        );
      else if (mode !== "PASSTHROUGH" || str(tls.serverCertificate) || str(tls.privateKey) || str(tls.caCertificates))
        problems.push(
          `${at} has protocol ${protocol} and tls.mode ${mode} (a plain HTTP server may only carry httpsRedirect)`,
        );
    }
    const hasFiles = str(tls.serverCertificate) !== undefined && str(tls.privateKey) !== undefined;
    if ((mode === "SIMPLE" || mode === "MUTUAL") && !str(tls.credentialName) && !hasFiles)
      problems.push(`${at}.tls has mode ${mode} but no credentialName (nor serverCertificate and privateKey)`);
    else if (mode === "MUTUAL" && !str(tls.credentialName) && !str(tls.caCertificates))
      problems.push(`${at}.tls has mode MUTUAL but no credentialName (nor caCertificates)`);
  });
  return problems;
}

/** SDS reads `credentialName` from the gateway workload's own namespace. */
function credentialProblem(server: Rec, targets: readonly GatewayWorkload[], snapshot: Snapshot): string | undefined {
  const name = credentialNameOf(server);
  const mode = tlsModeOf(server) ?? "";
  if (!name || !TERMINATING.has(mode)) return undefined;
  const known = targets.filter((w) => !w.assumed);
  if (known.length === 0) return undefined; // the files hold no gateway namespace to look in
  const secrets = known
    .map((w) => snapshot.get(K.secret, name, w.namespace))
    .filter((s): s is KubeObject => s !== undefined);
  if (secrets.length > 0) {
    const problems = secrets.map((s) => secretContentProblem(s, mode, snapshot));
    return problems.some((p) => p === undefined) ? undefined : `tls.credentialName ${name}: ${problems.join("; ")}`;
  }
  const namespaces = [...new Set(known.map((w) => w.namespace))];
  const elsewhere = snapshot
    .list(K.secret)
    .filter((s) => s.metadata.name === name)
    .map((s) => `${s.metadata.namespace}/${name}`);
  const found = elsewhere.length > 0 ? ` (there is Secret ${elsewhere.join(", ")}, which it never reads)` : "";
  return `tls.credentialName ${name}: no Secret ${name} in namespace ${namespaces.join(" or ")}, where the gateway workload (${known.map((w) => w.label).join(", ")}) reads it${found}`;
}

export const gatewayServer = defineCheck({
  name: "gateway.server",
  description:
    "An Istio Gateway (networking.istio.io) selects gateway proxies (pods running Envoy as a router, in any namespace) and has a server with the given port, protocol, hosts and TLS settings. The server's port must be reachable through a Service of the selected gateway (its port, or the targetPort Istio binds); a terminating server's credentialName Secret must be in the gateway workload's namespace (where SDS reads it) and hold a certificate and key (tls.crt/tls.key or cert/key); a MUTUAL server's client CA is ca.crt (or cacert) of Secret `<credentialName>-cacert` when it exists, else of the credential itself. A `tls` block without `mode` is PASSTHROUGH; `credentialName: kubernetes://name` is the Secret `name`. A Gateway Istio's validation refuses fails whatever its servers (an HTTPS or TLS server without `tls`, a `tls` block on a TCP server or one with more than httpsRedirect on an HTTP server, SIMPLE or MUTUAL without credentialName, two servers with the same port name). Server hosts may be written `host` or `ns/host`; a covering wildcard accepts a host unless exactHosts. With no gateway workload in the snapshot (graded from files), the default profile's istio-system/istio-ingressgateway is assumed.",
  params: ZServerExpect.extend({
    namespace: ZNamespace.optional().describe("namespace of the Gateway; any when omitted"),
    name: z.string().min(1).optional().describe("the Gateway; any (in the namespace) when omitted"),
    selector: ZLabels.optional().describe(
      "the gateway workload asked for, by its labels, e.g. { istio: ingressgateway }: spec.selector must select it (any selector that does passes)",
    ),
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
  kinds: [K.gateway, K.pod, K.deployment, K.service, K.secret],
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
  const selector = strMap(specOf(gw).selector);
  const workloads = knownGatewayWorkloads(snapshot);
  const selected = workloads.filter((w) => matchesLabels(selector, w.labels));
  const selectorEvidence = [evidenceOf(gw, "spec.selector", specOf(gw).selector)];
  if (selected.length === 0) {
    const known = workloads.map((w) => `${w.label} has ${formatLabels(w.labels)}`).join("; ");
    return fail(
      `${label} spec.selector ${formatLabels(selector)} selects no gateway workload (${known})`,
      selectorEvidence,
    );
  }
  let targets = selected;
  if (p.selector) {
    const wanted = workloads.filter((w) => matchesLabels(p.selector ?? {}, w.labels));
    if (wanted.length === 0) {
      // The gateway the task names is not in the snapshot: its labels are all there is to compare.
      const missing = Object.entries(p.selector).filter(([k, v]) => selector[k] !== v);
      if (missing.length > 0)
        return fail(
          `${label} spec.selector is ${formatLabels(selector)}, expected ${formatLabels(p.selector)}`,
          selectorEvidence,
        );
    } else {
      targets = selected.filter((w) => wanted.includes(w));
      if (targets.length === 0)
        return fail(
          `${label} spec.selector ${formatLabels(selector)} selects ${selected.map((w) => w.label).join(", ")}, not the gateway asked for (${formatLabels(p.selector)}: ${wanted.map((w) => w.label).join(", ")})`,
          selectorEvidence,
        );
    }
  }
  const servers = arr(specOf(gw).servers).map(rec);
  if (servers.length === 0) return fail(`${label} has no servers`, [evidenceOf(gw, "spec.servers")]);
  const refused = validationProblems(servers);
  if (refused.length > 0)
    return fail(`${label} is refused by Istio's validation: ${refused.join("; ")}`, [evidenceOf(gw, "spec.servers")]);
  const graded = servers.map((s, i) => {
    const wrong = serverProblems(s, p, targets);
    const exposure = exposureProblem(s, targets);
    if (exposure) wrong.push(exposure);
    if (wrong.length === 0) {
      const credential = credentialProblem(s, targets, snapshot);
      if (credential) wrong.push(credential);
    }
    return { i, wrong };
  });
  const ok = graded.find((g) => g.wrong.length === 0);
  if (ok)
    return pass(`${label} spec.servers[${ok.i}] matches on ${targets.map((w) => w.label).join(", ")}`, [
      evidenceOf(gw, `spec.servers[${ok.i}]`, servers[ok.i]),
    ]);
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

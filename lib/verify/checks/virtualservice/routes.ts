// virtualservice.routes: the share of requests each destination gets from the rule a request hits.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { arr, isRec } from "../../../istio/fields";
import { describeHost, resolveHost } from "../../../istio/hosts";
import { formatLabels } from "../../../istio/labels";
import { MESH_GATEWAY, selectVirtualServices } from "../../../istio/virtual-service";
import { effectiveShares, formatPercent, isSamePercent, type WeightedDestination } from "../../../istio/weights";
import { type CheckOutcome, defineCheck, type Evidence, type Snapshot } from "../../types";
import { evidenceOf, fail, hostParam, listText, pass, ZLabels, ZPercent } from "../common";
import {
  destinationKinds,
  findRootVirtualServices,
  isOutcome,
  portProblem,
  type RuleContext,
  routeKinds,
  ruleLocation,
  selectsSame,
  subsetLabels,
  withMatchedRule,
  ZRouteTarget,
  ZStringList,
} from "./context";

/** How an expected key is told apart: by subset name, or by the labels its subset selects. */
interface Identify {
  snapshot: Snapshot;
  client: string;
  subsetLabels?: Record<string, Record<string, string>>;
}

function describeDestination(d: WeightedDestination, target: string): string {
  const of = d.host === target ? "" : ` of ${describeHost(d.writtenHost, d.host)}`;
  return d.subset ? `subset ${d.subset}${of}` : `host ${describeHost(d.writtenHost, d.host)}`;
}

/** Which destinations an `expect` key names: `subset`, `host` or `host/subset`. */
function destinationsFor(
  key: string,
  dests: WeightedDestination[],
  target: string,
  namespace: string,
  by: Identify,
): WeightedDestination[] {
  const wanted = by.subsetLabels?.[key];
  if (wanted) {
    // The task does not name subsets: any subset of the host that selects the same pods is this one.
    return dests.filter((d) => {
      if (d.host !== target || d.subset === undefined) return false;
      const { labels } = subsetLabels(by.snapshot, d.host, d.subset, by.client);
      return labels !== undefined && selectsSame(by.snapshot, d.host, labels, wanted);
    });
  }
  const slash = key.lastIndexOf("/");
  if (slash > 0) {
    const host = resolveHost(key.slice(0, slash), namespace);
    const subset = key.slice(slash + 1);
    return dests.filter((d) => d.host === host && d.subset === subset);
  }
  const bySubset = dests.filter((d) => d.host === target && d.subset === key);
  if (bySubset.length > 0) return bySubset;
  const host = resolveHost(key, namespace);
  return dests.filter((d) => d.host === host);
}

function routeOf(ctx: RuleContext): { problem?: string; shares?: ReturnType<typeof effectiveShares> } {
  const rule = ctx.rule.rule;
  if (isRec(rule.redirect)) return { problem: `${ruleLocation(ctx.rule)} answers with a redirect, not a route` };
  if (isRec(rule.directResponse))
    return { problem: `${ruleLocation(ctx.rule)} answers with a directResponse, not a route` };
  if (arr(rule.route).length === 0) return { problem: `${ruleLocation(ctx.rule)} has no route` };
  const shares = effectiveShares(rule.route, ctx.rule.vs.metadata.namespace ?? "");
  if (shares.problem)
    return { problem: `${ruleLocation(ctx.rule, "route")}: ${shares.problem}; Istio rejects these weights` };
  return { shares };
}

/** Grades the shares a rule (or Istio's default route) gives each destination. */
function gradeShares(
  p: { expect?: Record<string, number>; notTo?: string[]; namespace: string },
  destinations: WeightedDestination[],
  target: string,
  by: Identify,
  where: string,
  evidence: Evidence[],
): CheckOutcome {
  const assigned = new Set<WeightedDestination>();
  const wrong: string[] = [];
  const name = (key: string): string => {
    const labels = by.subsetLabels?.[key];
    return labels ? `${key} (pods ${formatLabels(labels)})` : key;
  };
  for (const [key, expected] of Object.entries(p.expect ?? {})) {
    const dests = destinationsFor(key, destinations, target, p.namespace, by).filter((d) => !assigned.has(d));
    for (const d of dests) assigned.add(d);
    const actual = dests.reduce((s, d) => s + d.percent, 0);
    if (!isSamePercent(actual, expected))
      wrong.push(`${name(key)} gets ${formatPercent(actual)}, expected ${formatPercent(expected)}`);
  }
  if (p.expect) {
    for (const d of destinations) {
      if (!assigned.has(d) && d.percent > 0) {
        const note =
          by.subsetLabels && d.subset !== undefined
            ? (() => {
                const id = subsetLabels(by.snapshot, d.host, d.subset, by.client);
                return id.labels ? ` (${id.where}.labels ${formatLabels(id.labels)})` : ` (${id.problem})`;
              })()
            : "";
        wrong.push(`${describeDestination(d, target)}${note} gets ${formatPercent(d.percent)}, expected 0%`);
      }
    }
  }
  for (const key of p.notTo ?? []) {
    const actual = destinationsFor(key, destinations, target, p.namespace, by).reduce((s, d) => s + d.percent, 0);
    if (actual > 0) wrong.push(`${name(key)} gets ${formatPercent(actual)}, expected none`);
  }
  const summary = destinations
    .map((d) => `${formatPercent(d.percent)} to ${describeDestination(d, target)}`)
    .join(", ");
  if (wrong.length > 0) return fail(`${where} sends ${summary}: ${wrong.join("; ")}`, evidence);
  return pass(`${where} sends ${summary}`, evidence);
}

export const virtualServiceRoutes = defineCheck({
  name: "virtualservice.routes",
  description:
    "The share of requests each destination gets from the VirtualService rule a request hits (the VirtualService Istio uses for the host, delegates merged; TCP rules when it has no HTTP rules). Weights are relative: 9:1 equals 90:10; one destination without weight gets 100%. With no VirtualService for the host, sidecars use Istio's default route: 100% to the host's Service. A destination's `port` must be a port of the Service. Where the task does not name subsets, `subsetLabels` recognises a subset by the pods its labels select.",
  params: ZRouteTarget.extend({
    expect: z
      .record(z.string().min(1), ZPercent)
      .refine((e) => Object.keys(e).length > 0, "name at least one destination")
      .optional()
      .describe(
        "percent per destination: a subset of `host`, another host, or `host/subset`; unnamed destinations must get 0%",
      ),
    notTo: ZStringList.optional().describe("destinations (same keys as `expect`) that must get no request"),
    subsetLabels: z
      .record(z.string().min(1), ZLabels)
      .optional()
      .describe(
        "for keys of `expect`/`notTo` that the task does not name as subsets: the pod labels they stand for; any subset of `host` whose labels select the same pods counts, whatever its name",
      ),
  })
    .strict()
    .refine((p) => p.expect !== undefined || p.notTo !== undefined, "expect shares, notTo destinations, or both"),
  example: { host: "reviews", namespace: "shop", expect: { v1: 90, v2: 10 } },
  kinds: (p: { gateway?: string }) => [...routeKinds(p), ...destinationKinds],
  run(p, { snapshot }) {
    const client = p.fromNamespace ?? p.namespace;
    const by: Identify = { snapshot, client, subsetLabels: p.subsetLabels };
    const host = hostParam(p.host, p.namespace);
    if (!p.gateway) {
      const vss = snapshot.list(K.virtualService);
      if (selectVirtualServices(vss, host.resolved, client, MESH_GATEWAY).candidates.length === 0) {
        // Istio's default route: every request to the Service, on its own port, no subset.
        const found = findRootVirtualServices(p, snapshot);
        const why = isOutcome(found) ? found.message : `no VirtualService for host ${host.text} applies`;
        const dest: WeightedDestination = { index: 0, writtenHost: p.host, host: host.resolved, percent: 100 };
        return gradeShares(p, [dest], host.resolved, by, `${why}, so Istio's default route`, []);
      }
    }
    return withMatchedRule(p, snapshot, (ctx) => {
      const { problem, shares } = routeOf(ctx);
      if (problem || !shares) return fail(problem ?? "no route");
      const evidence = [evidenceOf(ctx.rule.vs, `${ctx.path}.route`)];
      const ports = shares.destinations
        .filter((d) => d.percent > 0)
        .map((d) => {
          const why = portProblem(snapshot, d.host, d.port);
          return why ? `${ruleLocation(ctx.rule, `route[${d.index}].destination.port.number`)} ${why}` : undefined;
        })
        .filter((x): x is string => x !== undefined);
      if (ports.length > 0) return fail(listText(ports), evidence);
      return gradeShares(p, shares.destinations, ctx.host.resolved, by, ruleLocation(ctx.rule, "route"), evidence);
    });
  },
});

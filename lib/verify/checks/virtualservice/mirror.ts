// virtualservice.mirror: the rule a request hits mirrors a copy of it (mirror or mirrors[]).
import { z } from "zod";
import { arr, isRec, num, type Rec, rec, show, str } from "../../../istio/fields";
import { describeHost, resolveHost } from "../../../istio/hosts";
import { formatLabels } from "../../../istio/labels";
import { formatPercent, isSamePercent } from "../../../istio/weights";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, ZLabels, ZPercent } from "../common";
import {
  destinationKinds,
  portProblem,
  routeKinds,
  ruleLocation,
  selectsSame,
  subsetLabels,
  withMatchedRule,
  ZRouteTarget,
} from "./context";

/** One mirror of a rule; fields are relative to the rule (`mirror`, `mirrors[0].destination`). */
interface MirrorEntry {
  field: string;
  host: string;
  writtenHost: string;
  subset?: string;
  port?: number;
  percent: number;
  percentField: string;
  percentWritten: unknown;
}

function mirrorsOf(rule: Rec, namespace: string): MirrorEntry[] {
  const out: MirrorEntry[] = [];
  if (isRec(rule.mirror)) {
    const written = rec(rule.mirrorPercentage).value ?? rule.mirrorPercent;
    const field =
      rule.mirrorPercentage !== undefined
        ? "mirrorPercentage.value"
        : rule.mirrorPercent !== undefined
          ? "mirrorPercent"
          : "mirrorPercentage";
    out.push({
      field: "mirror",
      writtenHost: str(rule.mirror.host) ?? "",
      host: resolveHost(str(rule.mirror.host) ?? "", namespace),
      subset: str(rule.mirror.subset),
      port: num(rec(rule.mirror.port).number),
      // pilot's MirrorPercent: a percentage written without a value (or 0) mirrors nothing; none at all mirrors 100%.
      percent: field === "mirrorPercentage" ? 100 : (num(written) ?? 0),
      percentField: field,
      percentWritten: written,
    });
  }
  arr(rule.mirrors).forEach((m, i) => {
    const d = rec(rec(m).destination);
    const written = rec(rec(m).percentage).value;
    out.push({
      field: `mirrors[${i}].destination`,
      writtenHost: str(d.host) ?? "",
      host: resolveHost(str(d.host) ?? "", namespace),
      subset: str(d.subset),
      port: num(rec(d.port).number),
      percent: rec(m).percentage === undefined ? 100 : (num(written) ?? 0),
      percentField: `mirrors[${i}].percentage${rec(m).percentage === undefined ? "" : ".value"}`,
      percentWritten: written,
    });
  });
  return out;
}

export const virtualServiceMirror = defineCheck({
  name: "virtualservice.mirror",
  description:
    "The rule a request hits mirrors a copy of it to a host/subset, optionally a given percentage. Accepts `mirror` (+ `mirrorPercentage`, or the old `mirrorPercent`) or `mirrors[]`; both at once is rejected. No percentage means 100%. A mirror's `port` must be a port of the Service. Where the task does not name the subset, `subsetLabels` recognises it by the pods its labels select.",
  params: ZRouteTarget.extend({
    subset: z.string().min(1).optional().describe("subset the copy goes to; any subset when omitted"),
    subsetLabels: ZLabels.optional().describe(
      "the pods the copy must go to, when the task does not name the subset: any subset of the mirror host whose labels select the same pods passes, whatever its name (instead of `subset`)",
    ),
    mirrorHost: z.string().min(1).optional().describe("host the copy goes to; default `host`"),
    percent: ZPercent.optional().describe("share of requests mirrored; when omitted, any share above 0"),
  }).strict(),
  example: { host: "reviews", namespace: "shop", subset: "v2", percent: 50 },
  kinds: (p: { gateway?: string }) => [...routeKinds(p), ...destinationKinds],
  run(p, { snapshot }) {
    return withMatchedRule(p, snapshot, (ctx) => {
      const rule = ctx.rule.rule;
      const vs = ctx.rule.vs;
      const at = (field?: string): string => ruleLocation(ctx.rule, field);
      if (rule.mirror !== undefined && rule.mirrors !== undefined) {
        return fail(`${at()} sets both mirror and mirrors; Istio rejects a route with both`, [
          evidenceOf(vs, ctx.path),
        ]);
      }
      const mirrors = mirrorsOf(rule, vs.metadata.namespace ?? "");
      const wantHost = resolveHost(p.mirrorHost ?? p.host, p.namespace);
      const client = p.fromNamespace ?? p.namespace;
      const wanted = p.subsetLabels;
      const wantText = `${p.subset ? `subset ${JSON.stringify(p.subset)} of ` : wanted ? `the pods ${formatLabels(wanted)} of ` : ""}${describeHost(p.mirrorHost ?? p.host, wantHost)}`;
      const isWantedSubset = (m: MirrorEntry): boolean => {
        if (wanted) {
          if (m.subset === undefined) return false;
          const { labels } = subsetLabels(snapshot, m.host, m.subset, client);
          return labels !== undefined && selectsSame(snapshot, m.host, labels, wanted);
        }
        return p.subset === undefined || m.subset === p.subset;
      };
      if (mirrors.length === 0)
        return fail(`${at()} has no mirror (expected a copy to ${wantText})`, [evidenceOf(vs, ctx.path)]);
      const hits = mirrors.filter((m) => m.host === wantHost && isWantedSubset(m));
      if (hits.length === 0) {
        const m = mirrors[0];
        const actual = mirrors.map(
          (x) => `${x.subset ? `subset ${x.subset} of ` : ""}${describeHost(x.writtenHost, x.host)}`,
        );
        const selects = (x: MirrorEntry): string => {
          if (!wanted || x.subset === undefined) return "";
          const id = subsetLabels(snapshot, x.host, x.subset, client);
          return id.labels ? `, whose ${id.where}.labels are ${formatLabels(id.labels)}` : ` (${id.problem})`;
        };
        const message =
          mirrors.length === 1 && m.host === wantHost
            ? `${at(`${m.field}.subset`)} is ${show(m.subset)}${selects(m)}, expected ${wanted ? wantText : JSON.stringify(p.subset)}`
            : `${at()} mirrors to ${listText(actual)}, expected ${wantText}`;
        return fail(
          message,
          mirrors.map((x) => evidenceOf(vs, `${ctx.path}.${x.field}`)),
        );
      }
      const hit = hits[0];
      const badPort = portProblem(snapshot, hit.host, hit.port);
      if (badPort)
        return fail(
          `${at(`${hit.field}.port.number`)} ${badPort.replace("the request gets 503", "the copy goes nowhere")}`,
          [evidenceOf(vs, `${ctx.path}.${hit.field}`)],
        );
      const evidence = [evidenceOf(vs, `${ctx.path}.${hit.percentField}`, hit.percentWritten)];
      if (p.percent !== undefined && !isSamePercent(hit.percent, p.percent)) {
        const written =
          hit.percentWritten !== undefined
            ? show(hit.percentWritten)
            : `unset (mirrors ${hit.percent > 0 ? "100%" : "nothing"})`;
        return fail(`${at(hit.percentField)} is ${written}, expected ${p.percent}`, evidence);
      }
      if (hit.percent <= 0) return fail(`${at(hit.percentField)} is 0: nothing is mirrored`, evidence);
      return pass(`${at()} mirrors ${formatPercent(hit.percent)} of requests to ${wantText}`, evidence);
    });
  },
});

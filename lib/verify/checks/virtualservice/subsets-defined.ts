// virtualservice.subsets-defined: every subset the VirtualService for a host uses is defined (IST0101).
import { K } from "../../../cluster/kinds";
import { expandHttpRules } from "../../../istio/delegates";
import { findDestinationRule } from "../../../istio/destination-rule";
import { arr, isRec, rec, str } from "../../../istio/fields";
import { resolveHost } from "../../../istio/hosts";
import { vsLabel } from "../../../istio/virtual-service";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass, rootNamespace } from "../common";
import { findRootVirtualServices, isOutcome, ruleLocation, ZHostTarget } from "./context";

export const virtualServiceSubsetsDefined = defineCheck({
  name: "virtualservice.subsets-defined",
  description:
    "Every subset the VirtualService for a host routes or mirrors to is defined by the DestinationRule the client uses for that destination (else IST0101 and 503s).",
  params: ZHostTarget.omit({ gateway: true }),
  example: { host: "reviews", namespace: "shop" },
  kinds: [K.virtualService, K.destinationRule, K.configMap],
  run(p, { snapshot }) {
    const found = findRootVirtualServices(p, snapshot);
    if (isOutcome(found)) return found;
    const { vss, client } = found;
    const [winner] = found.roots;
    const drs = snapshot.list(K.destinationRule);
    const root = rootNamespace(snapshot);
    const problems: string[] = [];
    let count = 0;
    for (const r of expandHttpRules(winner, vss).rules) {
      const ns = r.vs.metadata.namespace ?? "";
      const refs: [string, unknown][] = [
        ...arr(r.rule.route).map((d, i): [string, unknown] => [`route[${i}].destination`, rec(d).destination]),
        ["mirror", r.rule.mirror],
        ...arr(r.rule.mirrors).map((m, i): [string, unknown] => [`mirrors[${i}].destination`, rec(m).destination]),
      ];
      for (const [field, dest] of refs) {
        if (!isRec(dest) || str(dest.subset) === undefined) continue;
        count++;
        const destHost = resolveHost(str(dest.host) ?? "", ns);
        const subset = str(dest.subset) ?? "";
        const dr = findDestinationRule(drs, { host: destHost, clientNamespace: client, rootNamespace: root });
        if (!dr)
          problems.push(
            `${ruleLocation(r, field)} uses subset ${subset} of ${destHost}, but no DestinationRule for that host applies to namespace ${client}`,
          );
        else if (!dr.subsets.some((s) => s.name === subset)) {
          problems.push(
            `${ruleLocation(r, field)} uses subset ${subset}, which DestinationRule ${dr.namespace}/${dr.sources[0].metadata.name} does not define (it has ${listText(dr.subsets.map((s) => s.name)) || "none"})`,
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

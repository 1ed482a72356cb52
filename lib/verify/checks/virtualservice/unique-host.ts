// virtualservice.unique-host: one VirtualService bound to the mesh names the host (IST0109).
import { K } from "../../../cluster/kinds";
import { vsLabel } from "../../../istio/virtual-service";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass } from "../common";
import { findRootVirtualServices, isOutcome, ZHostTarget } from "./context";

export const virtualServiceUniqueHost = defineCheck({
  name: "virtualservice.unique-host",
  description:
    "Exactly one VirtualService bound to the mesh names the host for clients in `fromNamespace` (IST0109): with two, Istio silently uses the oldest and drops the other's rules.",
  params: ZHostTarget.omit({ gateway: true }),
  example: { host: "reviews", namespace: "shop" },
  kinds: [K.virtualService],
  run(p, { snapshot }) {
    const found = findRootVirtualServices(p, snapshot);
    if (isOutcome(found)) return found;
    const { candidates, host } = found;
    const evidence = candidates.map((vs) => evidenceOf(vs, "spec.hosts"));
    if (candidates.length > 1) {
      return fail(
        `${candidates.length} VirtualServices name host ${host.text} for the mesh: Istio uses ${vsLabel(candidates[0])} and ignores ${listText(candidates.slice(1).map(vsLabel))}; merge their rules into one (or use delegates)`,
        evidence,
      );
    }
    return pass(`only ${vsLabel(candidates[0])} names host ${host.text} for the mesh`, evidence);
  },
});

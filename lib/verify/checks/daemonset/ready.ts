// daemonset.ready: a DaemonSet has a ready pod on every node it schedules to (live clusters only).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { num, rec } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, pass, ZNamespace } from "../common";

export const daemonSetReady = defineCheck({
  name: "daemonset.ready",
  description:
    "A DaemonSet has a ready pod on every node it schedules to (numberReady = desiredNumberScheduled > 0). Needs a live cluster.",
  params: z.strictObject({ namespace: ZNamespace, name: z.string().min(1) }),
  example: { namespace: "istio-system", name: "ztunnel" },
  kinds: [K.daemonSet],
  requires: ["objectStatus"],
  run(p, { snapshot }) {
    const ds = snapshot.get(K.daemonSet, p.name, p.namespace);
    if (!ds) return fail(`DaemonSet ${p.namespace}/${p.name} not found`);
    const status = rec(ds.status);
    const desired = num(status.desiredNumberScheduled) ?? 0;
    const ready = num(status.numberReady) ?? 0;
    const evidence = [evidenceOf(ds, "status", { desiredNumberScheduled: desired, numberReady: ready })];
    if (desired === 0 || ready < desired)
      return fail(`DaemonSet ${p.namespace}/${p.name} has ${ready} of ${desired} pods ready`, evidence);
    return pass(`DaemonSet ${p.namespace}/${p.name} has all ${ready} pods ready`, evidence);
  },
});

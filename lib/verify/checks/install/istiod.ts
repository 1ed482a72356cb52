// install.istiod: Istio's control plane of a revision is installed and available.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { KubeObject } from "../../../cluster/types";
import { describeObject, labelsOf, num, rec } from "../../../istio/fields";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass } from "../common";

/** The revision an istiod Deployment serves: its istio.io/rev label (Istio's charts always set it). */
const revisionOf = (d: KubeObject): string => labelsOf(d)["istio.io/rev"] || "default";

export const installIstiod = defineCheck({
  name: "install.istiod",
  description:
    "An istiod Deployment (label app=istiod) of the revision (label istio.io/rev; `default` when the install named none) runs in the namespace with at least one available replica, however it was installed (istioctl, Helm) and whatever it is named. Needs a live cluster.",
  params: z.strictObject({
    revision: z.string().min(1).default("default"),
    namespace: z.string().min(1).default("istio-system").describe("istiod's namespace"),
  }),
  example: { revision: "canary" },
  kinds: [K.deployment],
  requires: ["objectStatus"],
  run(p, { snapshot }) {
    const istiods = snapshot.list(K.deployment, p.namespace).filter((d) => labelsOf(d).app === "istiod");
    const ofRevision = istiods.filter((d) => revisionOf(d) === p.revision);
    if (ofRevision.length === 0) {
      const found = istiods.map((d) => `${describeObject(d)} (revision ${revisionOf(d)})`);
      return fail(
        `no istiod of revision ${p.revision} in namespace ${p.namespace}${found.length > 0 ? `: found ${listText(found)}` : ": Istio's control plane is not installed there"}`,
      );
    }
    for (const d of ofRevision) {
      const available = num(rec(d.status).availableReplicas) ?? 0;
      if (available > 0)
        return pass(`${describeObject(d)} (revision ${p.revision}) has ${available} available replicas`, [
          evidenceOf(d, "status.availableReplicas", available),
        ]);
    }
    const d = ofRevision[0];
    const replicas = num(rec(d.spec).replicas) ?? 1;
    return fail(
      `${describeObject(d)} (revision ${p.revision}) has no available replica${replicas === 0 ? " (spec.replicas is 0)" : ""}`,
      [evidenceOf(d, "spec.replicas", replicas)],
    );
  },
});

// ingressclass.istio: an IngressClass served by Istio's ingress controller.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { rec, show, str } from "../../../istio/fields";
import { ISTIO_INGRESS_CONTROLLER, unservedIngressApi } from "../../../istio/ingress";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, noneFound, pass } from "../common";

export const ingressClassIstio = defineCheck({
  name: "ingressclass.istio",
  description: `An IngressClass (optionally with a given name) whose spec.controller is ${ISTIO_INGRESS_CONTROLLER}, at networking.k8s.io/v1 (the only version Kubernetes serves).`,
  params: z.strictObject({ name: z.string().min(1).optional() }),
  example: { name: "istio" },
  kinds: [K.ingressClass],
  run(p, { snapshot }) {
    const classes = listNamed(snapshot, K.ingressClass, undefined, p.name);
    return firstPassing(
      classes,
      (c) => {
        const controller = str(rec(c.spec).controller);
        const evidence = [evidenceOf(c, "spec.controller", controller)];
        const refused = unservedIngressApi(c);
        if (refused)
          return fail(`IngressClass ${c.metadata.name} is not graded: ${refused}`, [
            evidenceOf(c, "apiVersion", c.apiVersion),
          ]);
        if (controller !== ISTIO_INGRESS_CONTROLLER)
          return fail(
            `IngressClass ${c.metadata.name} spec.controller is ${show(controller)}, expected ${ISTIO_INGRESS_CONTROLLER}`,
            evidence,
          );
        return pass(`IngressClass ${c.metadata.name} is served by Istio`, evidence);
      },
      noneFound("IngressClass", undefined, p.name),
    );
  },
});

// install.revision-tag: a revision tag exists and points at a revision.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { describeObject, labelsOf } from "../../../istio/fields";
import { describeWebhook, injectorWebhooks } from "../../../istio/injector-webhooks";
import { defineCheck } from "../../types";
import { evidenceOf, fail, listText, pass } from "../common";

export const installRevisionTag = defineCheck({
  name: "install.revision-tag",
  description:
    "A revision tag points at a revision: a MutatingWebhookConfiguration labelled istio.io/tag=<tag> (what `istioctl tag set` and Helm's `revisionTags` create) whose sidecar-injector webhooks all call the istiod Service of the revision (its istio.io/rev label; the configuration's own istio.io/rev when the Service is not found).",
  params: z.strictObject({
    tag: z.string().min(1),
    revision: z.string().min(1).describe("the revision the tag must point at"),
  }),
  example: { tag: "prod-stable", revision: "canary" },
  kinds: [K.mutatingWebhook, K.service],
  run(p, { snapshot }) {
    const configs = snapshot.list(K.mutatingWebhook);
    const tagged = configs.filter((c) => labelsOf(c)["istio.io/tag"] === p.tag);
    if (tagged.length === 0) {
      const tags = [...new Set(configs.map((c) => labelsOf(c)["istio.io/tag"]).filter(Boolean))];
      return fail(
        `no revision tag ${p.tag}: no MutatingWebhookConfiguration is labelled istio.io/tag=${p.tag}${tags.length > 0 ? ` (tags found: ${listText(tags)})` : ""}`,
      );
    }
    const webhooks = injectorWebhooks(tagged, snapshot.list(K.service));
    if (webhooks.length === 0)
      return fail(
        `${listText(tagged.map(describeObject))} (istio.io/tag=${p.tag}) has no sidecar-injector webhook (clientConfig path /inject)`,
        tagged.map((c) => evidenceOf(c, "webhooks")),
      );
    const wrong = webhooks.filter((w) => w.revision !== p.revision);
    if (wrong.length > 0) {
      const w = wrong[0];
      return fail(
        `revision tag ${p.tag} points at revision ${w.revision}, expected ${p.revision}: ${describeWebhook(w)} (revision ${w.revision}; metadata.labels istio.io/rev=${labelsOf(w.config)["istio.io/rev"] ?? "(none)"})`,
        [evidenceOf(w.config, "webhooks[].clientConfig.service", w.service)],
      );
    }
    return pass(
      `revision tag ${p.tag} points at revision ${p.revision}: ${listText([...new Set(webhooks.map((w) => describeObject(w.config)))])} calls ${webhooks[0].service ? `Service ${webhooks[0].service.namespace}/${webhooks[0].service.name}` : "its istiod"}`,
      tagged.map((c) => evidenceOf(c, "metadata.labels", labelsOf(c))),
    );
  },
});

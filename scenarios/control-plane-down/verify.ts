// Checks of scenario control-plane-down: the sidecar-injector webhooks that a new pod of the app
// meets, judged as the API server calls them. Every mutating webhook whose namespaceSelector and
// objectSelector match the pod is called (lib/istio/injector-webhooks.ts finds Istio's: path
// /inject), so each of them must reach an istiod, and fail closed so that an unreachable istiod
// refuses pods instead of letting them in without a proxy.
import { z } from "zod";
import { K } from "../../lib/cluster/kinds";
import { arr, describeObject, labelsOf, num, rec, str, strMap } from "../../lib/istio/fields";
import { templateOf } from "../../lib/istio/injection";
import { type InjectorWebhook, injectorWebhooks, matchesLabelSelector } from "../../lib/istio/injector-webhooks";
import { formatLabels, matchesLabels } from "../../lib/istio/labels";
import { evidenceOf, fail, listText, pass, ZLabels, ZNamespace } from "../../lib/verify/checks/common";
import { defineCheck, type Snapshot } from "../../lib/verify/types";

/** istiod's webhook port in its container (Service port 443 targets it). */
const ISTIOD_WEBHOOK_PORT = 15017;

const ZParams = z.strictObject({
  namespace: ZNamespace,
  podLabels: ZLabels.describe("labels of the app's pods, as the webhooks' objectSelector sees them"),
});
type Params = z.infer<typeof ZParams>;

interface Met {
  hook: InjectorWebhook;
  /** the webhook as written, and its index in the configuration */
  raw: Record<string, unknown>;
  index: number;
}

/** The injector webhooks a new pod with `podLabels` in `namespace` meets, in the API server's order. */
function webhooksMet(snapshot: Snapshot, p: Params): Met[] {
  const ns = snapshot.get(K.namespace, p.namespace);
  const nsLabels = ns ? labelsOf(ns) : {};
  const hooks = injectorWebhooks(snapshot.list(K.mutatingWebhook), snapshot.list(K.service)).filter(
    (w) => matchesLabelSelector(w.namespaceSelector, nsLabels) && matchesLabelSelector(w.objectSelector, p.podLabels),
  );
  return hooks.map((hook) => {
    const all = arr(hook.config.webhooks);
    const index = all.findIndex((raw) => str(rec(raw).name) === hook.name);
    return { hook, raw: rec(all[index]), index };
  });
}

/** "MutatingWebhookConfiguration x (revision tag default) webhooks[2] (namespace.sidecar-injector.istio.io)" */
function webhookText(m: Met): string {
  const tag = m.hook.tag ? ` (revision tag ${m.hook.tag})` : "";
  return `${describeObject(m.hook.config)}${tag} webhooks[${m.index}] (${m.hook.name})`;
}

function noneMet(snapshot: Snapshot, p: Params) {
  const ns = snapshot.get(K.namespace, p.namespace);
  const labels = ns ? formatLabels(labelsOf(ns)) : "(no such namespace)";
  return fail(
    `no sidecar-injector webhook (MutatingWebhookConfiguration webhook with path /inject) matches new pods ${formatLabels(p.podLabels)} of namespace ${p.namespace} (labels ${labels}): their pods are created without a proxy`,
  );
}

/** The Service a webhook calls: clientConfig.service, or a URL naming <svc>.<ns>.svc[.cluster.local]. */
function serviceCalled(raw: Record<string, unknown>): { name: string; namespace: string; port: number } | string {
  const client = rec(raw.clientConfig);
  const svc = rec(client.service);
  if (str(svc.name) !== undefined)
    return { name: str(svc.name) ?? "", namespace: str(svc.namespace) ?? "", port: num(svc.port) ?? 443 };
  const url = str(client.url);
  if (url === undefined) return "clientConfig names neither a service nor a url";
  try {
    const u = new URL(url);
    const [name, namespace, svcWord, ...rest] = u.hostname.split(".");
    if (svcWord === "svc" && (rest.length === 0 || rest.join(".") === "cluster.local") && name && namespace)
      return { name, namespace, port: u.port ? Number(u.port) : 443 };
  } catch {
    // not a URL: said below
  }
  return `clientConfig.url is ${url}, which is not a Service of the cluster`;
}

/** Why a webhook does not reach an istiod's webhook port, or undefined when it does. */
function whyUnreachable(
  snapshot: Snapshot,
  met: Met,
): { problem?: string; field: string; value: unknown; to?: string } {
  const field = `webhooks[${met.index}].clientConfig`;
  const called = serviceCalled(met.raw);
  if (typeof called === "string") return { problem: `whose ${called}`, field, value: met.raw.clientConfig };
  const svcText = `Service ${called.namespace}/${called.name}`;
  const service = snapshot.get(K.service, called.name, called.namespace);
  if (!service)
    return {
      problem: `calls ${svcText}, which does not exist (${field}.service.name)`,
      field: `${field}.service.name`,
      value: called.name,
    };
  const spec = rec(service.spec);
  const port = arr(spec.ports)
    .map(rec)
    .find((sp) => num(sp.port) === called.port);
  if (!port)
    return {
      problem: `calls port ${called.port} of ${svcText}, which has no such port (${field}.service.port)`,
      field: `${field}.service.port`,
      value: called.port,
    };
  const selector = strMap(spec.selector);
  const istiods = snapshot
    .list(K.deployment, called.namespace)
    .filter((d) => labelsOf(d).app === "istiod")
    .filter((d) => Object.keys(selector).length > 0 && matchesLabels(selector, templateOf(d).labels));
  if (istiods.length === 0)
    return {
      problem: `calls ${svcText}, whose selector ${formatLabels(selector)} selects no istiod pods (${field}.service.name)`,
      field: `${field}.service.name`,
      value: called.name,
    };
  const targetPort = port.targetPort ?? port.port;
  const reaches = istiods.some((d) => {
    const containers = arr(templateOf(d).spec.containers).map(rec);
    const named = containers
      .flatMap((c) => arr(c.ports).map(rec))
      .filter((cp) => num(cp.containerPort) === ISTIOD_WEBHOOK_PORT)
      .map((cp) => str(cp.name));
    return num(targetPort) === ISTIOD_WEBHOOK_PORT || (typeof targetPort === "string" && named.includes(targetPort));
  });
  if (!reaches)
    return {
      problem: `calls port ${called.port} of ${svcText}, which targets ${String(targetPort)}, not istiod's webhook port ${ISTIOD_WEBHOOK_PORT} (${field}.service.port)`,
      field: `${field}.service.port`,
      value: called.port,
    };
  return {
    field,
    value: `${called.namespace}/${called.name}:${called.port}`,
    to: `${svcText} port ${called.port}, which reaches ${listText(istiods.map(describeObject))} on port ${ISTIOD_WEBHOOK_PORT}`,
  };
}

export const injectionWebhookReachesIstiod = defineCheck({
  name: "injectionWebhookReachesIstiod",
  description:
    "Every sidecar-injector webhook that new pods of the app meet calls a Service that sends its port to an istiod's webhook port (15017), whatever the Service is called (clientConfig.service or a URL of <svc>.<ns>.svc).",
  params: ZParams,
  kinds: [K.mutatingWebhook, K.service, K.deployment, K.namespace],
  run(p, { snapshot }) {
    const met = webhooksMet(snapshot, p);
    if (met.length === 0) return noneMet(snapshot, p);
    const judged = met.map((m) => ({ m, ...whyUnreachable(snapshot, m) }));
    const broken = judged.filter((j) => j.problem !== undefined);
    if (broken.length > 0)
      return fail(
        `${broken.length} of the ${met.length} injector webhooks that new pods ${formatLabels(p.podLabels)} of ${p.namespace} meet reach no istiod: ${broken
          .slice(0, 4)
          .map((j) => `${webhookText(j.m)} ${j.problem}`)
          .join("; ")}`,
        broken.map((j) => evidenceOf(j.m.hook.config, j.field, j.value)),
      );
    return pass(
      `the injector webhooks new pods of ${p.namespace} meet reach istiod: ${judged
        .map((j) => `${webhookText(j.m)} calls ${j.to}`)
        .slice(0, 2)
        .join("; ")}${judged.length > 2 ? ` (and ${judged.length - 2} more)` : ""}`,
      judged.map((j) => evidenceOf(j.m.hook.config, j.field, j.value)),
    );
  },
});

export const injectionWebhookFailsClosed = defineCheck({
  name: "injectionWebhookFailsClosed",
  description:
    "Every sidecar-injector webhook that new pods of the app meet has failurePolicy Fail (the default when unset): an istiod that does not answer refuses the pod instead of letting it in without a proxy.",
  params: ZParams,
  kinds: [K.mutatingWebhook, K.service, K.namespace],
  run(p, { snapshot }) {
    const met = webhooksMet(snapshot, p);
    if (met.length === 0) return noneMet(snapshot, p);
    const policyOf = (m: Met) => str(m.raw.failurePolicy) ?? "Fail";
    const open = met.filter((m) => policyOf(m) !== "Fail");
    const evidence = (list: Met[]) =>
      list.map((m) => evidenceOf(m.hook.config, `webhooks[${m.index}].failurePolicy`, policyOf(m)));
    if (open.length > 0)
      return fail(
        `${listText(open.map((m) => `${webhookText(m)} failurePolicy is ${policyOf(m)}`))}, expected Fail: while istiod cannot be reached, pods of ${p.namespace} are let in without a proxy`,
        evidence(open),
      );
    return pass(
      `the ${met.length} injector webhooks new pods of ${p.namespace} meet have failurePolicy Fail`,
      evidence(met),
    );
  },
});

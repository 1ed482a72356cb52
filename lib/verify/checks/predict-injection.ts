// Whether a workload's pods get the sidecar: read by pods.injected and deployment.injection.
import type { KubeObject } from "../../cluster/types";
import { decideTemplateInjection, proxyPresence, templateOf } from "../../istio/injection";

/** A workload's pods get the proxy if its template already has it (kube-inject) or the injector adds it. */
export function predictInjection(w: KubeObject, ns: KubeObject | undefined): { injected: boolean; reason: string } {
  const t = templateOf(w);
  const present = proxyPresence(t.spec, t.annotations);
  if (present.injected) return { injected: true, reason: `its template already has the ${present.detail}` };
  return decideTemplateInjection(w, ns);
}

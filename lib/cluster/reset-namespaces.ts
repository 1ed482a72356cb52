// Reset without deleting namespaces: a scenario keeps the namespaces it owns, but everything in
// them goes, and labels and annotations a learner added to a Namespace are removed (an injection
// label must not survive a Reset). Deleting a namespace waits for the namespace controller
// (about 11 s on the lite driver); deleting what is in it takes under a second.
import type { ActiveCluster } from "./active-cluster";
import { runKubectl } from "./kubectl";
import type { KubeObject } from "./types";

/** Namespaces no scenario may own: Reset would empty them. */
const PROTECTED = [/^kube-/, /^default$/, /^istio-system$/, /^local-path-storage$/];

/** Objects that Kubernetes (or Istio) puts in every namespace; deleting them only makes it wait. */
const KEPT: Record<string, string[]> = {
  serviceaccounts: ["default"],
  configmaps: ["kube-root-ca.crt", "istio-ca-root-cert"],
};

/** Labels and annotations that belong to the system, not to the learner or the setup. */
const SYSTEM_LABELS = new Set(["kubernetes.io/metadata.name"]);
const SYSTEM_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);

export class ResetRefusedError extends Error {
  override name = "ResetRefusedError";
}

/** The namespaces of a list that Reset must never empty. */
export function protectedNamespaces(namespaces: readonly string[]): string[] {
  return namespaces.filter((ns) => PROTECTED.some((p) => p.test(ns)));
}

/** Keys to remove from a live Namespace so that its labels and annotations are what setup defines. */
export function extraMetadataKeys(
  live: KubeObject,
  defined: KubeObject | undefined,
): { labels: string[]; annotations: string[] } {
  const extra = (
    now: Record<string, string> | undefined,
    wanted: Record<string, string> | undefined,
    keep: Set<string>,
  ) => Object.keys(now ?? {}).filter((k) => !keep.has(k) && !(k in (wanted ?? {})));
  return {
    labels: extra(live.metadata.labels, defined?.metadata.labels, SYSTEM_LABELS),
    annotations: extra(live.metadata.annotations, defined?.metadata.annotations, SYSTEM_ANNOTATIONS),
  };
}

/**
 * Empties the scenario's namespaces that exist: every object of every namespaced kind (pods
 * without grace), except what Kubernetes keeps in every namespace; and strips the labels and
 * annotations that `defined` (the Namespaces as setup writes them) does not have. Refuses, before
 * touching anything, a namespace no scenario may own.
 */
export async function emptyNamespaces(
  cluster: ActiveCluster,
  namespaces: readonly string[],
  defined: readonly KubeObject[],
  onProgress: (line: string) => void,
): Promise<void> {
  const refused = protectedNamespaces(namespaces);
  if (refused.length > 0) {
    throw new ResetRefusedError(`Reset never empties ${refused.join(", ")}: a scenario may not own it`);
  }
  const live = (await kubectlJson(cluster, ["get", "namespaces", "-o", "json"])) as { items: KubeObject[] };
  const ours = live.items.filter((ns) => namespaces.includes(ns.metadata.name));
  // one being deleted (a proof's cleanup, a learner's kubectl delete) must be gone before setup recreates it
  const terminating = ours.filter((ns) => (ns.status as { phase?: string } | undefined)?.phase === "Terminating");
  for (const ns of terminating) {
    onProgress(`Waiting for namespace ${ns.metadata.name} to finish terminating...`);
    await kubectlOk(cluster, ["wait", "--for=delete", `namespace/${ns.metadata.name}`, "--timeout=120s"], 130_000);
  }
  const existing = ours.filter((ns) => !terminating.includes(ns));
  if (existing.length === 0) return;
  const kinds = await deletableKinds(cluster);
  await Promise.all(
    existing.map(async (ns) => {
      const name = ns.metadata.name;
      onProgress(`Emptying namespace ${name}...`);
      await Promise.all([
        kubectlOk(cluster, ["delete", "pods", "--all", "-n", name, "--grace-period=0", "--force", "--wait=false"]),
        kubectlOk(cluster, ["delete", kinds.join(","), "--all", "-n", name, "--wait=false"]),
        ...Object.entries(KEPT).map(([kind, keep]) =>
          kubectlOk(cluster, [
            "delete",
            kind,
            "-n",
            name,
            "--wait=false",
            `--field-selector=${keep.map((k) => `metadata.name!=${k}`).join(",")}`,
          ]),
        ),
      ]);
      const extra = extraMetadataKeys(
        ns,
        defined.find((d) => d.metadata.name === name),
      );
      if (extra.labels.length > 0)
        await kubectlOk(cluster, ["label", "namespace", name, ...extra.labels.map((k) => `${k}-`)]);
      if (extra.annotations.length > 0) {
        await kubectlOk(cluster, ["annotate", "namespace", name, ...extra.annotations.map((k) => `${k}-`)]);
      }
    }),
  );
}

/** Every namespaced kind that can be listed and deleted, but pods, events and the KEPT kinds (handled apart). */
async function deletableKinds(cluster: ActiveCluster): Promise<string[]> {
  const out = await kubectlOk(cluster, ["api-resources", "--namespaced=true", "--verbs=list,delete", "-o", "name"]);
  const apart = new Set(["pods", "events", "events.events.k8s.io", ...Object.keys(KEPT)]);
  return out
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s !== "" && !apart.has(s));
}

async function kubectlOk(cluster: ActiveCluster, args: string[], timeoutMs = 60_000): Promise<string> {
  const r = await runKubectl(cluster, args, timeoutMs);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

async function kubectlJson(cluster: ActiveCluster, args: string[]): Promise<unknown> {
  return JSON.parse(await kubectlOk(cluster, args));
}

// The prober's names, and where its manifests are for the drivers that run a data plane (kind).
import { join } from "node:path";

export const PROBER_NAMESPACE = "ica-prober";
/** app label of the prober with a sidecar, and of the one without (plain text) */
export const PROBER_APP = "ica-prober";
export const PLAIN_PROBER_APP = "ica-prober-plain";

export function proberManifestPath(root = process.cwd()): string {
  return join(root, "lib", "cluster", "prober", "prober.yaml");
}

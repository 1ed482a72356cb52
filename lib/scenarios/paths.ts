import path from "node:path";

/**
 * The repository root. npm runs every script from the package folder, and Next's server
 * bundle cannot see its sources' own location, so the working directory is the anchor.
 */
export const REPO_ROOT = process.cwd();

export function scenariosRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ env.ICA_SCENARIOS_DIR ?? path.join(REPO_ROOT, "scenarios"));
}

export function sampleManifest(sample: string): string {
  return path.join(REPO_ROOT, "lib/cluster/samples", `${sample}.yaml`);
}

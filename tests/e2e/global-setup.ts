import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Chromium from Debian and a running lite cluster (started, or reused if up). Returns the teardown.
 * E2E_SKIP_LITE=1 leaves the lite cluster alone, for specs that bring their own (cluster-bar.spec.ts
 * runs a server on the kind driver's stand-ins): `E2E_SKIP_LITE=1 npx playwright test cluster-bar`.
 */
export default async function globalSetup(): Promise<() => void> {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    throw new Error(`No Chromium at ${chromium}. Install Debian's: apt-get install -y chromium fonts-liberation`);
  }
  if (process.env.E2E_SKIP_LITE === "1") return () => {};
  // `cluster status` exits 0 only when the lite cluster runs.
  const wasRunning = spawnSync("npx", ["tsx", "scripts/cluster.ts", "status"], { stdio: "ignore" }).status === 0;
  execFileSync("npx", ["tsx", "scripts/cluster.ts", "up", "--driver", "lite"], { stdio: "inherit" });
  return () => {
    if (!wasRunning) execFileSync("npx", ["tsx", "scripts/cluster.ts", "down"], { stdio: "inherit" });
  };
}

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Chromium from Debian and a running lite cluster (started, or reused if up). Returns the teardown. */
export default async function globalSetup(): Promise<() => void> {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    throw new Error(`No Chromium at ${chromium}. Install Debian's: apt-get install -y chromium fonts-liberation`);
  }
  const status = execFileSync("npx", ["tsx", "scripts/cluster.ts", "status"], { encoding: "utf8" });
  const wasRunning = /running/i.test(status) && !/not running/i.test(status);
  execFileSync("npx", ["tsx", "scripts/cluster.ts", "up", "--driver", "lite"], { stdio: "inherit" });
  return () => {
    if (!wasRunning) execFileSync("npx", ["tsx", "scripts/cluster.ts", "down"], { stdio: "inherit" });
  };
}

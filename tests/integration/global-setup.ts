import type { TestProject } from "vitest/node";
import { createLiteDriver } from "../../lib/cluster/drivers/lite";

// One lite cluster per integration run: reused if one is already up (and then left
// running), started and stopped here otherwise. up() builds missing binaries first; a
// failed build fails the run, it never skips.

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (message: string) => console.log(`[lite] ${message}`);
  const driver = createLiteDriver();
  const { kubeconfig, reused } = await driver.up(log);
  project.provide("kubeconfig", kubeconfig);
  return async () => {
    if (!reused) await driver.down(log);
  };
}

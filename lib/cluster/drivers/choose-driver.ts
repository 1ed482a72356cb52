// Which driver `npm run cluster` and the cluster bar's button use when none is named: `up` takes
// kind when Docker answers and kind works, else lite, with the reason in one line; the other
// commands take the driver whose cluster is recorded (lite when both or neither).
import { existsSync } from "node:fs";
import type { EnvSource } from "../../env";
import { liteKubeconfigPath } from "../../paths";
import { createKindDriver } from "./kind";
import { detectKind } from "./kind-diagnostics";
import { kindPaths } from "./kind-plan";
import { createToolRun } from "./kind-run";
import { createLiteDriver } from "./lite";
import type { Driver } from "./types";

export type DriverName = "lite" | "kind";

export async function chooseUpDriver(env: EnvSource = process.env): Promise<{ name: DriverName; reason: string }> {
  const { usable, reason } = await detectKind(createToolRun(env));
  return { name: usable ? "kind" : "lite", reason };
}

export function recordedDriverName(env: EnvSource = process.env): DriverName {
  return existsSync(kindPaths(env).kubeconfig) && !existsSync(liteKubeconfigPath(env)) ? "kind" : "lite";
}

export function createDriver(name: string, options: { dryRun?: boolean; bare?: boolean } = {}): Driver {
  if (options.dryRun && name !== "kind") throw new Error(`--dry-run is for the kind driver only (this is ${name})`);
  if (options.bare && name !== "lite") throw new Error(`--bare is for the lite driver only (this is ${name})`);
  if (name === "lite") return createLiteDriver({ bare: options.bare });
  if (name === "kind") return createKindDriver({ dryRun: options.dryRun });
  throw new Error(`unknown driver "${name}" (known: lite, kind)`);
}

// exportTo: which namespaces see a VirtualService, DestinationRule or ServiceEntry.
import type { KubeObject } from "../cluster/types";
import { specOf, strs } from "./fields";
import { exportToProblem } from "./validation";

/**
 * Visible to `clientNamespace`? No exportTo means "*" (Istio's default). `~` exports to nobody,
 * and an exportTo Istio's validation rejects (`~` with other entries, `*` with others, ...)
 * leaves the object applying nowhere.
 */
export function isExportedTo(o: KubeObject, clientNamespace: string): boolean {
  const exportTo = strs(specOf(o).exportTo);
  if (exportTo.length === 0) return true;
  if (exportToProblem(o) !== undefined) return false;
  return exportTo.some(
    (e) => e === "*" || e === clientNamespace || (e === "." && o.metadata.namespace === clientNamespace),
  );
}

/** Exported only to its own namespace ("." or its own name). */
export function isPrivate(o: KubeObject): boolean {
  const exportTo = strs(specOf(o).exportTo);
  return (
    exportTo.length > 0 &&
    exportToProblem(o) === undefined &&
    exportTo.every((e) => e === "." || e === o.metadata.namespace)
  );
}

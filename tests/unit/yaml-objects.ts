// Test helper: Kubernetes objects from YAML text.
import { parseManifests } from "../../lib/cluster/file-cluster";
import type { KubeObject } from "../../lib/cluster/types";

/** Objects from multi-document YAML; creationTimestamps follow document order unless given. */
export function objects(yaml: string, namespace = "default"): KubeObject[] {
  const { objects: out, errors } = parseManifests(yaml, "<test>", namespace);
  if (errors.length > 0) throw new Error(errors.map((e) => `${e.line}: ${e.message}`).join("\n"));
  return out.map((o, i) => {
    o.metadata.creationTimestamp ??= new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString();
    return o;
  });
}

export function object(yaml: string, namespace = "default"): KubeObject {
  const [o] = objects(yaml, namespace);
  return o;
}

/** The YAML of a mesh ConfigMap in istio-system holding `mesh` (a document ending in ---). */
export function meshConfigMap(mesh: string, name = "istio"): string {
  const indented = mesh
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}, namespace: istio-system }
data:
  mesh: |-
${indented}
---
`;
}

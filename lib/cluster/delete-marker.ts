// An answer that deletes an object names it in a manifest with the annotation
// `ica-practice/delete: "true"`: applied to a cluster it is `kubectl delete` of that object, so a
// solution can say "merge the two VirtualServices and delete the other one". Only the object's
// apiVersion, kind, name and namespace count.
import type { KubeObject } from "./types";

export const DELETE_ANNOTATION = "ica-practice/delete";

export function isDeleteMarker(o: Pick<KubeObject, "metadata">): boolean {
  return o.metadata?.annotations?.[DELETE_ANNOTATION] === "true";
}

/** The object a marker deletes, as `kubectl delete -f` takes it. */
export function deletedRef(o: KubeObject): KubeObject {
  const { name, namespace } = o.metadata;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: namespace ? { name, namespace } : { name } };
}

import { unsupportedIstioNote } from "@/lib/scenarios/istio-version";

/** "not for Istio 1.31" when the running Istio is outside a scenario's range; nothing otherwise. */
export function IstioUnsupportedBadge({ range, version }: { range: string; version: string | undefined }) {
  const note = version === undefined ? undefined : unsupportedIstioNote(range, version);
  if (!note) return null;
  return (
    <span
      className="whitespace-nowrap rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800"
      title={note.title}
      data-istio-unsupported={version}
    >
      {note.label}
    </span>
  );
}

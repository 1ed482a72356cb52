// Label selectors: Istio's `selector`/`workloadSelector.labels` maps.

/** Every pair of `selector` is in `labels`. An empty selector selects everything. */
export function matchesLabels(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(",") : "(none)";
}

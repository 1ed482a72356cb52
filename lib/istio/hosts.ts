// Host names as Istio reads them (pilot's ResolveShortnameToFQDN and host.Name matching).

export const DOMAIN_SUFFIX = "cluster.local";

/**
 * A host relative to the namespace of the object naming it: a name without a dot becomes
 * `<name>.<namespace>.svc.cluster.local`; a name with a dot is taken as written (even
 * `helloworld.shop`); `*` and IP addresses stay as they are.
 */
export function resolveHost(host: string, namespace: string): string {
  const h = host.trim().toLowerCase();
  if (h === "" || h === "*" || h.includes(".") || isIpAddress(h)) return h;
  return `${h}.${namespace}.svc.${DOMAIN_SUFFIX}`;
}

function isIpAddress(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(h) || (h.includes(":") && /^[0-9a-f:.]+(\/\d{1,3})?$/i.test(h));
}

export function isWildcard(h: string): boolean {
  return h.startsWith("*");
}

/** Does `pattern` cover `host`? `*` covers all; `*.example.com` covers `a.example.com`, `a.b.example.com` and `*.b.example.com`. */
export function hostCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (p === "*") return true;
  if (!isWildcard(p)) return false;
  const suffix = p.slice(1); // ".example.com"
  if (isWildcard(h)) return h.slice(1).endsWith(suffix) && h.length > p.length;
  return h.endsWith(suffix) && h.length > suffix.length;
}

/** Two hosts overlap when either covers the other. */
export function hostsOverlap(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/** The candidate that matches `host` most specifically: an exact name, else the longest covering wildcard. */
export function mostSpecificHost(host: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const c of candidates) {
    if (c === host) return c;
    if (isWildcard(c) && hostCovers(c, host) && (best === undefined || c.length > best.length)) best = c;
  }
  return best;
}

/** `<name>.<namespace>.svc.cluster.local` → { name, namespace }; anything else → undefined. */
export function parseServiceHost(fqdn: string): { name: string; namespace: string } | undefined {
  const m = new RegExp(`^([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.${DOMAIN_SUFFIX.replace(".", "\\.")}$`).exec(
    fqdn.toLowerCase(),
  );
  return m ? { name: m[1], namespace: m[2] } : undefined;
}

/** How to show a resolved host next to what was written: `helloworld (helloworld.ns.svc.cluster.local)`. */
export function describeHost(written: string, resolved: string): string {
  return written === resolved ? `"${written}"` : `"${written}" (${resolved})`;
}

/** What a written host means, for messages about a host that did not match. */
export function explainHost(written: string, resolved: string): string {
  if (!written.includes(".")) return `which means ${resolved}`;
  const svc = parseServiceHost(resolved);
  if (svc) return `which names Service ${svc.name} in namespace ${svc.namespace}`;
  return "which Istio takes as written (a name with a dot is not expanded)";
}

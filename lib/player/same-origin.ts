/**
 * State-changing requests must come from our own pages: a foreign site could otherwise make
 * the browser POST to 127.0.0.1 and reset a learner's cluster.
 */
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  const host = headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

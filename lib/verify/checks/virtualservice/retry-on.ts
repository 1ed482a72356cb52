// What a retry policy retries, by meaning (pilot's retry.ConvertPolicy and Envoy's retry
// conditions): numbers in retryOn are retriable status codes (Istio adds
// `retriable-status-codes` for them); `5xx` retries every 5xx and resets; `gateway-error` 502,
// 503, 504 and resets; `retriable-4xx` 409; `reset` resets. With retries unset, or retryOn
// unset, Istio's default applies: connect-failure,refused-stream,unavailable,cancelled and
// retriable-status-codes with code 503.

export const ISTIO_DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

export interface RetryPolicy {
  conditions: string[];
  statusCodes: number[];
}

/** The Envoy policy Istio writes for a `retryOn` text (unset: Istio's default). */
export function parseRetryOn(retryOn: string | undefined): RetryPolicy {
  if (!retryOn?.trim()) return { conditions: ISTIO_DEFAULT_RETRY_ON.split(","), statusCodes: [503] };
  const conditions: string[] = [];
  const statusCodes: number[] = [];
  for (const part of retryOn.split(",").map((s) => s.trim())) {
    if (part === "") continue;
    if (/^\d+$/.test(part)) statusCodes.push(Number(part));
    else conditions.push(part);
  }
  if (statusCodes.length > 0 && !conditions.includes("retriable-status-codes"))
    conditions.push("retriable-status-codes");
  return { conditions, statusCodes };
}

const STATUS_CLASSES: Record<string, (s: number) => boolean> = {
  "5xx": (s) => s >= 500 && s <= 599,
  "gateway-error": (s) => s === 502 || s === 503 || s === 504,
  "retriable-4xx": (s) => s === 409,
};

/** Conditions that retry a kind of failure without a response, besides the failure's own name. */
const RESET_COVERED_BY = ["5xx", "gateway-error", "reset"];
const RESETS = ["reset", "connect-failure", "refused-stream", "reset-before-request"];

/** Does the policy retry a response with this status? */
export function retriesStatus(policy: RetryPolicy, status: number): boolean {
  if (policy.conditions.includes("retriable-status-codes") && policy.statusCodes.includes(status)) return true;
  return policy.conditions.some((c) => STATUS_CLASSES[c]?.(status) ?? false);
}

/**
 * Does the policy retry what `wanted` names: a status code (`"500"`), a status class (`5xx`,
 * `gateway-error`, `retriable-4xx`: every status in it), a reset kind (`connect-failure`...:
 * also retried by `5xx`, `gateway-error` and `reset`), or any other condition by name.
 */
export function retries(policy: RetryPolicy, wanted: string): boolean {
  const w = wanted.trim();
  if (/^\d+$/.test(w)) return retriesStatus(policy, Number(w));
  const inClass = STATUS_CLASSES[w];
  if (inClass) {
    const statuses = Array.from({ length: 200 }, (_, i) => 400 + i).filter(inClass);
    return policy.conditions.includes(w) || statuses.every((s) => retriesStatus(policy, s));
  }
  if (RESETS.includes(w))
    return policy.conditions.includes(w) || policy.conditions.some((c) => RESET_COVERED_BY.includes(c));
  return policy.conditions.includes(w);
}

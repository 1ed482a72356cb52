import { DOMAIN_IDS, DOMAINS, type DomainId } from "../scenarios/curriculum";

/** How far (in percentage points) an exam's domain share may be from the curriculum weight. */
export const SHARE_TOLERANCE = 5;

/**
 * Each domain's share of an exam, in percent of its points (as the exam weighs domains): a
 * domain's tasks' points over all tasks' points. All zero for no points.
 */
export function domainShares(tasks: readonly { domain: DomainId; points: number }[]): Record<DomainId, number> {
  const total = tasks.reduce((sum, t) => sum + t.points, 0);
  const shares = Object.fromEntries(DOMAIN_IDS.map((d) => [d, 0])) as Record<DomainId, number>;
  if (total === 0) return shares;
  for (const t of tasks) shares[t.domain] += t.points;
  for (const d of DOMAIN_IDS) shares[d] = (100 * shares[d]) / total;
  return shares;
}

/** The domains whose share is more than SHARE_TOLERANCE points from the curriculum weight. */
export function sharesOffWeight(
  shares: Record<DomainId, number>,
): { domain: DomainId; share: number; weight: number }[] {
  return DOMAIN_IDS.map((domain) => ({ domain, share: shares[domain], weight: DOMAINS[domain].weight })).filter(
    (s) => Math.abs(s.share - s.weight) > SHARE_TOLERANCE,
  );
}

/** "install 19.4% (20), traffic 35.5% (35), ...": each share with its weight. */
export function formatShares(shares: Record<DomainId, number>): string {
  return DOMAIN_IDS.map((d) => `${d} ${shares[d].toFixed(1)}% (${DOMAINS[d].weight})`).join(", ");
}

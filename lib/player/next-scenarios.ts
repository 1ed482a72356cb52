// What to practise after finishing a scenario: the next one of its domain not passed yet, and a
// scenario of the learner's weakest domain (the lowest share of scenarios passed; the exam's
// weight breaks ties).
import type { ScenarioStatus } from "../progress/scenario-status";
import { DOMAIN_IDS, DOMAINS, type DomainId } from "../scenarios/curriculum";

export interface NextScenario {
  id: string;
  title: string;
  why: string;
}

interface Entry {
  id: string;
  title: string;
  domain: DomainId;
}

export function nextScenarios(
  current: Entry,
  catalog: readonly Entry[],
  statuses: Readonly<Record<string, ScenarioStatus>>,
): NextScenario[] {
  const open = (e: Entry) => e.id !== current.id && statuses[e.id]?.state !== "passed";
  const out: NextScenario[] = [];
  const sameDomain = catalog.find((e) => e.domain === current.domain && open(e));
  if (sameDomain) {
    out.push({ id: sameDomain.id, title: sameDomain.title, why: `next in ${DOMAINS[current.domain].title}` });
  }
  const share = (d: DomainId) => {
    const inDomain = catalog.filter((e) => e.domain === d);
    return inDomain.filter((e) => statuses[e.id]?.state === "passed").length / inDomain.length;
  };
  const weakest = DOMAIN_IDS.filter((d) =>
    catalog.some((e) => e.domain === d && open(e) && !out.some((o) => o.id === e.id)),
  )
    .sort((a, b) => share(a) - share(b) || DOMAINS[b].weight - DOMAINS[a].weight)
    .at(0);
  const pick = weakest && catalog.find((e) => e.domain === weakest && open(e) && !out.some((o) => o.id === e.id));
  if (pick) {
    out.push({
      id: pick.id,
      title: pick.title,
      why: `your weakest domain: ${DOMAINS[pick.domain].title} (${Math.round(share(pick.domain) * 100)}% passed)`,
    });
  }
  return out;
}

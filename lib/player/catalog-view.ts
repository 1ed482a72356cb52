import { getDb } from "../progress/db";
import { ensureLearner } from "../progress/learners";
import { type ScenarioStatus, scenarioStatuses } from "../progress/scenario-status";
import { DOMAIN_IDS, DOMAINS, type DomainId } from "../scenarios/curriculum";
import { loadCatalog } from "../scenarios/load-catalog";
import { formatContentError } from "../scenarios/schema";
import { ensureDatabase } from "./ensure-database";

export interface CatalogCard {
  id: string;
  title: string;
  summary: string;
  competency: string;
  difficulty: number;
  minutes: number;
  points: number;
  tasks: number;
  status: ScenarioStatus | null;
}

export interface BrokenScenario {
  id: string;
  errors: string[];
}

export interface CatalogDomain {
  id: DomainId;
  title: string;
  weight: number;
  scenarios: CatalogCard[];
}

export interface CatalogView {
  domains: CatalogDomain[];
  broken: BrokenScenario[];
}

/** Scenarios grouped by ICA domain with the learner's status; broken ones listed apart. */
export async function getCatalogView(): Promise<CatalogView> {
  const results = loadCatalog();
  const scenarios = results.flatMap((r) => (r.ok ? [r.scenario] : []));
  await ensureDatabase();
  const db = getDb();
  const learner = await ensureLearner(db);
  const statuses = await scenarioStatuses(
    db,
    learner.id,
    Object.fromEntries(scenarios.map((s) => [s.id, s.tasks.length])),
  );

  const domains = DOMAIN_IDS.map((id) => ({
    id,
    title: DOMAINS[id].title,
    weight: DOMAINS[id].weight,
    scenarios: scenarios
      .filter((s) => s.domain === id)
      .map((s) => ({
        id: s.id,
        title: s.title,
        summary: s.summary,
        competency: s.competency,
        difficulty: s.difficulty,
        minutes: s.minutes,
        points: s.totalPoints,
        tasks: s.tasks.length,
        status: statuses[s.id] ?? null,
      })),
  }));
  const broken = results.flatMap((r) =>
    r.ok
      ? []
      : [{ id: r.id, errors: r.errors.map((e) => formatContentError({ ...e, file: relativeToScenarios(e.file) })) }],
  );
  return { domains, broken };
}

function relativeToScenarios(file: string): string {
  const i = file.lastIndexOf("/scenarios/");
  return i === -1 ? file : file.slice(i + 1);
}

import { readFileSync } from "node:fs";
import path from "node:path";
import { examIstioVersion } from "../cluster/drivers/kind-plan";
import { getDb } from "../progress/db";
import { ensureLearner } from "../progress/learners";
import { type ScenarioStatus, scenarioStatuses } from "../progress/scenario-status";
import { DOMAIN_IDS, DOMAINS, type DomainId } from "../scenarios/curriculum";
import { type At, lintCheck } from "../scenarios/lint-scenario";
import { loadCatalog } from "../scenarios/load-catalog";
import { type ContentError, formatContentError, type Scenario } from "../scenarios/schema";
import { parseYamlWithPositions, positionOf } from "../scenarios/yaml-positions";
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
  /** the Istio versions it is written for (a semver range, from scenario.yaml) */
  istio: string;
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
  /** the exam's Istio version (ICA_ISTIO_VERSION); the running cluster's is read by the page */
  examIstioVersion: string;
  domains: CatalogDomain[];
  broken: BrokenScenario[];
}

/** Scenarios grouped by ICA domain with the learner's status; broken ones listed apart. */
export async function getCatalogView(): Promise<CatalogView> {
  // A scenario that loads but names a check that does not exist is as broken as a schema error.
  const results = loadCatalog().map((r) => {
    if (!r.ok) return r;
    const errors = checkErrors(r.scenario);
    return errors.length === 0 ? r : { ok: false as const, id: r.scenario.id, dir: r.scenario.dir, errors };
  });
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
        istio: s.istio,
      })),
  }));
  const broken = results.flatMap((r) =>
    r.ok
      ? []
      : [{ id: r.id, errors: r.errors.map((e) => formatContentError({ ...e, file: relativeToScenarios(e.file) })) }],
  );
  return { examIstioVersion: examIstioVersion(), domains, broken };
}

function relativeToScenarios(file: string): string {
  const i = file.lastIndexOf("/scenarios/");
  return i === -1 ? file : file.slice(i + 1);
}

/**
 * What `npm run scenarios:lint` says of a scenario's checks without loading its verify.ts: a
 * `use` that names no built-in check, or parameters the check refuses (at their file:line).
 */
export function checkErrors(scenario: Scenario): ContentError[] {
  const file = path.join(scenario.dir, "scenario.yaml");
  const lint = (at: At) =>
    scenario.tasks.flatMap((task, i) =>
      task.checks.flatMap((check, j) => lintCheck(check, (...p) => at("tasks", i, "checks", j, ...p))),
    );
  // Positions need the YAML parsed again: only for a scenario that has something to report.
  if (lint(() => ({ file, line: 0, column: 0 })).length === 0) return [];
  const parsed = parseYamlWithPositions(file, readFileSync(file, "utf8"));
  return lint((...p) => ({ file, ...positionOf(parsed, p) }));
}

// npm run check -- <scenario-id> [--task ID] [--from-files PATH...] [--namespace NS] [--json]
// Grades a scenario's checks against the active cluster (as the player does: lite, or
// ICA_CLUSTER=current with its read-only ICA_GRADER_KUBECONFIG), or against manifests with no
// cluster at all. Exit 0 only when every selected check passes; 1 when any does not; 2 on bad input.
import { connectGrader, resolveActiveCluster } from "../lib/cluster/active-cluster";
import { bareActiveCluster, needsBareCluster } from "../lib/cluster/bare-cluster";
import { loadFileCluster } from "../lib/cluster/file-cluster";
import type { Cluster, ClusterResult } from "../lib/cluster/types";
import { gradeScenario } from "../lib/scenarios/grade-scenario";
import { loadScenario } from "../lib/scenarios/load-scenario";
import { formatContentError, type Scenario } from "../lib/scenarios/schema";
import type { CheckResult } from "../lib/verify/types";

const USAGE = `usage: npm run check -- <scenario-id or folder> [options]
  --task ID            only this task (repeatable)
  --from-files PATH... grade these manifest files/folders plus the scenario's setup, with no cluster
  --namespace NS       with --from-files: namespace for objects that name none (default: the scenario's first)
  --json               print results as JSON
Without --from-files, the active cluster is read as Check reads it: the lite cluster's read-only
credential, or with ICA_CLUSTER=current the kubeconfig context ICA_KUBE_CONTEXT through
ICA_GRADER_KUBECONFIG when set.`;

interface Options {
  scenario?: string;
  tasks: string[];
  fromFiles?: string[];
  namespace?: string;
  json: boolean;
}

function parseOptions(argv: string[]): Options | string {
  const o: Options = { tasks: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined =>
      argv[i + 1] !== undefined && !argv[i + 1].startsWith("--") ? argv[++i] : undefined;
    switch (arg) {
      case "--task": {
        const v = value();
        if (!v) return "--task needs a task id";
        o.tasks.push(v);
        break;
      }
      case "--from-files": {
        o.fromFiles = o.fromFiles ?? [];
        for (let v = value(); v !== undefined; v = value()) o.fromFiles.push(v);
        if (o.fromFiles.length === 0) return "--from-files needs at least one path";
        break;
      }
      case "--namespace": {
        const v = value();
        if (!v) return `${arg} needs a value`;
        o.namespace = v;
        break;
      }
      case "--json":
        o.json = true;
        break;
      case "--help":
      case "-h":
        return "";
      default:
        if (arg.startsWith("--")) return `unknown option ${arg}`;
        if (o.scenario !== undefined) return `unexpected argument ${arg}`;
        o.scenario = arg;
    }
  }
  if (!o.scenario) return "name a scenario";
  return o;
}

/** The manifests plus the scenario's setup as a cluster, or the active cluster's grader. */
function clusterFor(o: Options, scenario: Scenario): { cluster: ClusterResult<Cluster>; errors: string[] } {
  // an install task is checked on the bare cluster, whichever cluster is active
  if (!o.fromFiles)
    return {
      cluster: connectGrader(needsBareCluster(scenario) ? bareActiveCluster() : resolveActiveCluster()),
      errors: [],
    };
  const namespace = o.namespace ?? scenario.namespaces[0] ?? "default";
  const files = loadFileCluster([...scenario.setup, ...o.fromFiles.map((path) => ({ path, namespace }))]);
  const errors = files.errors.map((e) => `${e.file}${e.line ? `:${e.line}:${e.column ?? 1}` : ""}: ${e.message}`);
  return { cluster: { ok: true, value: files.cluster }, errors };
}

const SYMBOL: Record<CheckResult["status"], string> = { pass: "✓", fail: "✗", error: "!", skipped: "–" };
const COLOR: Record<CheckResult["status"], number> = { pass: 32, fail: 31, error: 33, skipped: 90 };

function paint(text: string, code: number): string {
  return process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function printResults(scenario: Scenario, clusterName: string, tasks: Scenario["tasks"], results: CheckResult[]): void {
  console.log(`${scenario.id} — ${scenario.title} (cluster: ${clusterName})`);
  for (const task of tasks) {
    console.log(`\n  ${task.id}: ${task.title}`);
    for (const r of results.filter((x) => x.id.startsWith(`${task.id}/`))) {
      console.log(`    ${paint(SYMBOL[r.status], COLOR[r.status])} ${r.id.slice(task.id.length + 1)}  ${r.message}`);
      if (r.hint) console.log(`        hint: ${r.hint}`);
    }
  }
  const passed = results.filter((r) => r.status === "pass").length;
  const counts = (["fail", "error", "skipped"] as const)
    .map((s) => [s, results.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0);
  console.log(
    `\n${passed}/${results.length} checks passed${counts.length > 0 ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(", ")})` : ""}`,
  );
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  if (typeof o === "string") {
    console.error(o ? `${o}\n\n${USAGE}` : USAGE);
    return o ? 2 : 0;
  }
  const loaded = loadScenario(o.scenario ?? "");
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(formatContentError(e));
    return 2;
  }
  const scenario = loaded.scenario;
  const unknown = o.tasks.filter((t) => !scenario.tasks.some((x) => x.id === t));
  if (unknown.length > 0) {
    console.error(
      `scenario ${scenario.id} has no task ${unknown.join(", ")} (tasks: ${scenario.tasks.map((t) => t.id).join(", ")})`,
    );
    return 2;
  }
  const tasks = o.tasks.length > 0 ? scenario.tasks.filter((t) => o.tasks.includes(t.id)) : scenario.tasks;
  const { cluster, errors } = clusterFor(o, scenario);
  if (!cluster.ok) errors.push(cluster.failure.message);
  if (errors.length > 0 || !cluster.ok) {
    for (const e of errors) console.error(e);
    return 2;
  }
  const clusterName = cluster.value.name;
  const results = await gradeScenario(cluster.value, scenario, o.tasks.length > 0 ? o.tasks : undefined);
  if (o.json) {
    const byTask = tasks.map((t) => ({
      id: t.id,
      title: t.title,
      results: results.filter((r) => r.id.startsWith(`${t.id}/`)),
    }));
    console.log(
      JSON.stringify(
        {
          scenario: scenario.id,
          cluster: clusterName,
          passed: results.every((r) => r.status === "pass"),
          tasks: byTask,
        },
        null,
        2,
      ),
    );
  } else {
    printResults(scenario, clusterName, tasks, results);
  }
  return results.every((r) => r.status === "pass") ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 2;
  },
);

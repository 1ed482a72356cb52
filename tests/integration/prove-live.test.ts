// The live proof's rules that only a real API server shows: a mistake the cluster's validation
// refuses counts as failing, with the API server's words, as the exam's cluster would refuse it.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { resolveActiveCluster } from "../../lib/cluster/active-cluster";
import { loadScenario } from "../../lib/scenarios/load-scenario";
import { liveTargetOf, proveLive } from "../../lib/scenarios/prove-scenario";
import { kubectl } from "./lite";

const NS = "proof-refused";

/** traffic-mirroring in its own namespace, with one more mistake: a weight that is not a number. */
function scenarioWithInvalidMistake() {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "ica-prove-")), "refused");
  cpSync("scenarios/traffic-mirroring", dir, { recursive: true });
  const rename = (file: string) =>
    writeFileSync(
      file,
      readFileSync(file, "utf8").replaceAll("mirror-lab", NS).replace("id: traffic-mirroring", "id: refused"),
    );
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (/\.(ya?ml|md)$/.test(f)) rename(path.join(dir, f));
  }
  writeFileSync(
    path.join(dir, "mistakes/weight-as-text.yaml"),
    readFileSync(path.join(dir, "solution/virtualservice.yaml"), "utf8").replace(
      "        subset: v1\n",
      '        subset: v1\n      weight: "all of it"\n',
    ),
  );
  const yaml = path.join(dir, "scenario.yaml");
  writeFileSync(
    yaml,
    readFileSync(yaml, "utf8").replace(
      "mistakes:\n",
      "mistakes:\n  - path: mistakes/weight-as-text.yaml\n    why: A weight must be a number.\n    fails: [mirror/virtualservice.routes]\n",
    ),
  );
  // only the new mistake: the others are proved by the catalog's proof
  const loaded = loadScenario(dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return {
    ...loaded.scenario,
    mistakes: loaded.scenario.mistakes.filter((m) => m.path.endsWith("weight-as-text.yaml")),
  };
}

afterAll(async () => {
  await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
});

it("counts a mistake the API server refuses as failing, with the server's message", { timeout: 120_000 }, async () => {
  const target = liveTargetOf(resolveActiveCluster({ ...process.env, ICA_CLUSTER: "lite" }));
  if (!target.ok) throw new Error(target.failure.message);
  const reports = await proveLive(scenarioWithInvalidMistake(), target.value);
  const mistake = reports.find((r) => r.stage === "mistake mistakes/weight-as-text.yaml");
  expect(mistake?.problems).toEqual([]);
  expect(mistake?.refused).toMatch(/weight/);
  // the stages around it still hold
  expect(reports.flatMap((r) => r.problems)).toEqual([]);
});

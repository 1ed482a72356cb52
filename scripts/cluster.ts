// npm run cluster -- <up|down|status|env> [--driver lite|kind] [--bare] [--dry-run]
// `npm run -s cluster -- env` prints lines to eval in a shell: KUBECONFIG, a PATH with the
// pinned kubectl, istioctl and helm, and ICA_ISTIO_CHARTS once `up` has copied Istio's charts.
// --bare: the lite cluster without Istio (its own folder and ports), for installing Istio.
// Without --driver, `up` takes kind when Docker answers and kind works, else lite, and says why;
// the other commands take the driver whose cluster is recorded (lite when both or neither).
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { chooseUpDriver, createDriver, recordedDriverName } from "../lib/cluster/drivers/choose-driver";
import { examIstioVersion, kindPaths } from "../lib/cluster/drivers/kind-plan";
import type { Driver } from "../lib/cluster/drivers/types";
import { istioChartsDir } from "../lib/cluster/istio-charts";
import { toolsBinDir } from "../lib/paths";

const USAGE = "usage: npm run cluster -- <up|down|status|env> [--driver lite|kind] [--bare] [--dry-run]";

async function chooseDriverName(command: string, requested: string | undefined, bare: boolean): Promise<string> {
  if (requested) return requested;
  if (bare) return "lite";
  if (command !== "up") return recordedDriverName();
  const { name, reason } = await chooseUpDriver();
  console.error(`using the ${name} driver: ${reason}`);
  return name;
}

const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

function printEnv(driver: Driver): void {
  console.log(`export KUBECONFIG=${quote(driver.kubeconfigPath())}`);
  if (driver.name === "kind") {
    // the release istioctl first: lite's development build cannot manage a kind cluster's Istio
    console.log(`export PATH=${quote(kindPaths().binDir)}:${quote(toolsBinDir())}:"$PATH"`);
    console.log("export ICA_CLUSTER=kind");
    return;
  }
  console.log(`export PATH=${quote(toolsBinDir())}:"$PATH"`);
  const charts = istioChartsDir();
  if (existsSync(charts)) console.log(`export ICA_ISTIO_CHARTS=${quote(charts)}`);
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      driver: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      bare: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command] = positionals;
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  if (!command || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const dryRun = values["dry-run"];
  if (dryRun && command !== "up" && command !== "down") {
    console.error(`--dry-run is for up and down\n${USAGE}`);
    return 2;
  }
  const bare = values.bare;
  const driver = createDriver(await chooseDriverName(command, values.driver, bare), { dryRun, bare });
  const progress = (message: string) => console.error(`[${driver.name}] ${message}`);

  switch (command) {
    case "up": {
      await driver.up(progress);
      if (dryRun) return 0;
      console.error("\nTo use it in this shell:");
      printEnv(driver);
      return 0;
    }
    case "down":
      await driver.down(progress);
      return 0;
    case "status": {
      const status = await driver.status();
      console.log(`${driver.name}: ${status.running ? "running" : "not running"}`);
      // the one setting, whichever driver: what kind installs, what the catalog compares content with
      console.log(`  exam Istio version (ICA_ISTIO_VERSION): ${examIstioVersion()}`);
      if (status.kubeconfig) console.log(`  kubeconfig: ${status.kubeconfig}`);
      for (const line of status.details) console.log(`  ${line}`);
      return status.running ? 0 : 1;
    }
    case "env":
      printEnv(driver);
      return 0;
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

// npm run cluster -- <up|down|status|env> [--driver lite]
// `npm run -s cluster -- env` prints lines to eval in a shell: KUBECONFIG and a PATH
// with the pinned kubectl and istioctl.
import { parseArgs } from "node:util";
import { createLiteDriver } from "../lib/cluster/drivers/lite";
import type { Driver } from "../lib/cluster/drivers/types";
import { toolsBinDir } from "../lib/paths";

const USAGE = "usage: npm run cluster -- <up|down|status|env> [--driver lite]";

function selectDriver(name: string): Driver {
  if (name === "lite") return createLiteDriver();
  throw new Error(`driver "${name}" is not available yet (known: lite)`);
}

const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

function printEnv(kubeconfig: string): void {
  console.log(`export KUBECONFIG=${quote(kubeconfig)}`);
  console.log(`export PATH=${quote(toolsBinDir())}:"$PATH"`);
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { driver: { type: "string", default: "lite" }, help: { type: "boolean", short: "h" } },
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
  const driver = selectDriver(values.driver);
  const progress = (message: string) => console.error(`[${driver.name}] ${message}`);

  switch (command) {
    case "up": {
      const { kubeconfig } = await driver.up(progress);
      console.error("\nTo use it in this shell:");
      printEnv(kubeconfig);
      return 0;
    }
    case "down":
      await driver.down(progress);
      return 0;
    case "status": {
      const status = await driver.status();
      console.log(`${driver.name}: ${status.running ? "running" : "not running"}`);
      if (status.kubeconfig) console.log(`  kubeconfig: ${status.kubeconfig}`);
      for (const line of status.details) console.log(`  ${line}`);
      return status.running ? 0 : 1;
    }
    case "env":
      printEnv(driver.kubeconfigPath());
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

import { defineConfig } from "@playwright/test";

// Browser tests in Debian's Chromium (never `playwright install`) against the real server
// on a lite cluster. The server gets its own port and database.
const PORT = Number(process.env.E2E_PORT ?? 3107);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./tests/e2e/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "only-on-failure",
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: `http://127.0.0.1:${PORT}/`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      ICA_CLUSTER: "lite",
      DATABASE_URL: `file:${process.cwd()}/test-results/e2e-db/e2e-${Date.now()}.db`,
      ICA_WORKSPACES_DIR: `${process.cwd()}/test-results/e2e-workspaces`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});

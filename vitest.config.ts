import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// app/ imports lib/ as "@/lib/..." (tsconfig paths); the route tests import app/.
const alias = { "@": fileURLToPath(new URL(".", import.meta.url)) };

// unit: pure tests beside the code; integration: against one real lite cluster per run.
// Playwright specs (tests/e2e) are not vitest's.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/integration/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

// npm start: build the production bundle when the sources changed since the last build, then serve.
// npm run build (--build-only): build and record the stamp, so a later start does not build again.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const STAMP = ".next/ica-source-stamp";
const SOURCES = ["app", "components", "lib", "next.config.js", "postcss.config.mjs", "package-lock.json"];

/** A hash of the sources' paths, sizes and mtimes: cheap, and changes on any edit. */
function sourceStamp(): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p) || p.includes("node_modules") || p.includes(`lib${path.sep}generated`)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    else hash.update(`${p}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const s of SOURCES) walk(s);
  return hash.digest("hex");
}

const stamp = sourceStamp();
const built = existsSync(".next/BUILD_ID") && existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp;
const buildOnly = process.argv.includes("--build-only");
if (!built || buildOnly) {
  console.log("Building the app (about a minute)...");
  const started = Date.now();
  const result = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, stamp);
  console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
}

if (!buildOnly) {
  Object.assign(process.env, { NODE_ENV: "production" });
  await import("../server");
}

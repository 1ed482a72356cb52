// istioctl for the kind driver: the official release of the exam's Istio version, downloaded
// once into the cache with its published SHA-256 checked (a mismatch is an error), or the
// binary ICA_ISTIOCTL names. lite's Go-built istioctl is a development build whose images are
// not published, so it cannot install Istio on kind.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type EnvSource, readEnv } from "../../env";
import { cacheDir } from "../../paths";
import { KindError } from "./kind-diagnostics";
import type { ToolRun } from "./kind-run";
import { runCommandOrThrow } from "./run-command";
import type { ProgressFn } from "./types";

export const ISTIO_RELEASE_URL = "https://github.com/istio/istio/releases/download";
const DOWNLOAD_TIMEOUT_S = 300;
const SET_ONE = "or set ICA_ISTIOCTL to an istioctl release binary of that version";

/** The release's istioctl-only archive for this machine (names as istio.io/downloadIstioctl uses them). */
export function istioctlArchiveName(version: string, platform = process.platform, arch = process.arch): string {
  const cpu = arch === "arm64" ? "arm64" : "amd64";
  const os = platform === "darwin" ? (cpu === "arm64" ? "osx-arm64" : "osx") : `linux-${cpu}`;
  return `istioctl-${version}-${os}.tar.gz`;
}

export function istioctlRelease(env: EnvSource = process.env) {
  const { ICA_ISTIO_VERSION: version, ICA_ISTIO_RELEASE_URL } = readEnv(env);
  const base = (ICA_ISTIO_RELEASE_URL ?? ISTIO_RELEASE_URL).replace(/\/+$/, "");
  const archive = `${base}/${version}/${istioctlArchiveName(version)}`;
  return {
    version,
    archive,
    sha256: `${archive}.sha256`,
    binary: path.join(cacheDir(env), "bin", `istioctl-${version}`),
  };
}

/** What `up` does to get istioctl, for --dry-run. */
export function describeIstioctl(env: EnvSource = process.env): string[] {
  const named = readEnv(env).ICA_ISTIOCTL;
  if (named) return [`use ICA_ISTIOCTL=${named}`, `${named} version --remote=false -o json`];
  const release = istioctlRelease(env);
  return [
    `download ${release.archive} (unless ${release.binary} is there)`,
    `download ${release.sha256} and check the archive's SHA-256 against it; extract istioctl to ${release.binary}`,
    `${release.binary} version --remote=false -o json`,
  ];
}

/** The istioctl to install with, checked to be the exam's version. */
export async function resolveIstioctl(env: EnvSource, run: ToolRun, onProgress: ProgressFn): Promise<string> {
  const named = readEnv(env).ICA_ISTIOCTL;
  const release = istioctlRelease(env);
  let binary = named ?? release.binary;
  if (named && !existsSync(named)) {
    throw new KindError(
      "istioctl",
      `ICA_ISTIOCTL=${named} does not exist`,
      `Point it at an istioctl ${release.version} release binary, or unset it to download one.`,
    );
  }
  if (!named && !existsSync(/* turbopackIgnore: true */ binary)) binary = await downloadIstioctl(release, onProgress);
  await checkIstioctlVersion(run, binary, release.version, named ? `ICA_ISTIOCTL=${named}` : binary);
  return binary;
}

async function checkIstioctlVersion(run: ToolRun, binary: string, wanted: string, source: string): Promise<void> {
  const result = await run(binary, ["version", "--remote=false", "-o", "json"], { timeoutS: 30 });
  const version = result.code === 0 ? parseClientVersion(result.stdout) : undefined;
  if (!version) {
    throw new KindError(
      "istioctl",
      `${source} does not run (istioctl version: ${(result.stderr || result.stdout).trim().split("\n")[0]})`,
      `Unset ICA_ISTIOCTL to download the official ${wanted} release, ${SET_ONE}.`,
    );
  }
  if (version.endsWith("-dev")) {
    throw new KindError(
      "istioctl",
      `${source} is istioctl ${version}, a development build: its images are not published, so it cannot install Istio on kind`,
      `Unset ICA_ISTIOCTL to download the official ${wanted} release, or point it at one.`,
    );
  }
  if (version !== wanted) {
    throw new KindError(
      "istioctl",
      `${source} is istioctl ${version}, not the exam's ${wanted} (ICA_ISTIO_VERSION)`,
      `Point ICA_ISTIOCTL at an istioctl ${wanted}, or set ICA_ISTIO_VERSION=${version}.`,
    );
  }
}

function parseClientVersion(stdout: string): string | undefined {
  try {
    const parsed = JSON.parse(stdout) as { clientVersion?: { version?: string } };
    return parsed.clientVersion?.version;
  } catch {
    return /\d+\.\d+[\w.-]*/.exec(stdout)?.[0];
  }
}

async function fetchBytes(url: string, what: string): Promise<Buffer> {
  const failed = (why: string) =>
    new KindError(
      "istioctl",
      `Could not download ${what} (${url}: ${why})`,
      `Check the network and try again, ${SET_ONE}.`,
    );
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_S * 1000) });
  } catch (error) {
    throw failed((error as Error).message);
  }
  if (!response.ok) throw failed(`HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Downloads the archive and its .sha256, checks one against the other, extracts istioctl. */
async function downloadIstioctl(release: ReturnType<typeof istioctlRelease>, onProgress: ProgressFn): Promise<string> {
  const name = path.basename(release.archive);
  onProgress(`downloading istioctl ${release.version}: ${release.archive}`);
  const started = Date.now();
  const ticker = setInterval(
    () => onProgress(`still downloading ${name} (${Math.round((Date.now() - started) / 1000)} s)`),
    15_000,
  );
  let archive: Buffer;
  let published: string;
  try {
    archive = await fetchBytes(release.archive, name);
    published = (await fetchBytes(release.sha256, `${name}.sha256`)).toString("utf8").trim().split(/\s+/)[0] ?? "";
  } finally {
    clearInterval(ticker);
  }
  if (!/^[0-9a-f]{64}$/i.test(published)) {
    throw new KindError("istioctl", `${release.sha256} holds no SHA-256`, `Check ICA_ISTIO_RELEASE_URL, ${SET_ONE}.`);
  }
  const actual = createHash("sha256").update(archive).digest("hex");
  if (actual !== published.toLowerCase()) {
    throw new KindError(
      "istioctl",
      `${name}: its SHA-256 is ${actual}, but the published one is ${published} (${release.sha256}); nothing was installed`,
      `The download is corrupt or not the official release: try again, ${SET_ONE}.`,
    );
  }
  onProgress(`${name}: SHA-256 ${actual} matches the published one`);

  mkdirSync(path.dirname(release.binary), { recursive: true });
  const temp = mkdtempSync(`${release.binary}.tmp-`);
  try {
    const file = path.join(temp, name);
    writeFileSync(file, archive);
    await runCommandOrThrow("tar", ["-xzf", file, "-C", temp, "istioctl"]);
    chmodSync(path.join(temp, "istioctl"), 0o755);
    renameSync(path.join(temp, "istioctl"), release.binary); // never a half-written binary
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return release.binary;
}

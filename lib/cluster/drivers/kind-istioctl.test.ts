// The istioctl release download: a local HTTP server serves the archive and its .sha256 as the
// release page does; a good archive is extracted into the cache, a mismatch installs nothing.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createStandins, STANDINS_DIR } from "../../../tests/fixtures/kind-standins/standins";
import { istioctlArchiveName, istioctlRelease, resolveIstioctl } from "./kind-istioctl";
import { createToolRun } from "./kind-run";

vi.setConfig({ testTimeout: 30_000 });

const VERSION = "1.26.8";
let server: Server;
let base: string;
/** What the server answers per path; a missing path is a 404. */
const files = new Map<string, Buffer>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = files.get(req.url ?? "");
    res.writeHead(body ? 200 : 404).end(body ?? "Not Found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/releases/download`;
});
afterAll(() => server.close());

/** An istioctl archive as the release has it: one file, `istioctl`, here a stand-in. */
function makeArchive(dir: string): Buffer {
  const src = path.join(dir, "archive-src");
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, "istioctl"), `#!/bin/sh\nexec node ${STANDINS_DIR}/standin.cjs istioctl "$@"\n`, {
    mode: 0o755,
  });
  const file = path.join(dir, "archive.tar.gz");
  execFileSync("tar", ["-czf", file, "-C", src, "istioctl"]);
  return readFileSync(file);
}

function serve(archive: Buffer, sha256 = createHash("sha256").update(archive).digest("hex")) {
  const url = `/releases/download/${VERSION}/${istioctlArchiveName(VERSION)}`;
  files.clear();
  files.set(url, archive);
  files.set(`${url}.sha256`, Buffer.from(`${sha256}  ${istioctlArchiveName(VERSION)}\n`));
  return url;
}

function setUp() {
  const standins = createStandins();
  const env = { ...standins.env, ICA_ISTIOCTL: "", ICA_ISTIO_RELEASE_URL: base };
  return { standins, env, run: createToolRun(env), lines: [] as string[] };
}

describe("istioctl release for kind", () => {
  it("names the archive per platform as the release does", () => {
    expect(istioctlArchiveName("1.26.8", "linux", "x64")).toBe("istioctl-1.26.8-linux-amd64.tar.gz");
    expect(istioctlArchiveName("1.26.8", "linux", "arm64")).toBe("istioctl-1.26.8-linux-arm64.tar.gz");
    expect(istioctlArchiveName("1.26.8", "darwin", "arm64")).toBe("istioctl-1.26.8-osx-arm64.tar.gz");
    expect(istioctlArchiveName("1.26.8", "darwin", "x64")).toBe("istioctl-1.26.8-osx.tar.gz");
    expect(istioctlRelease({}).archive).toBe(
      `https://github.com/istio/istio/releases/download/1.26.8/${istioctlArchiveName("1.26.8")}`,
    );
  });

  it("downloads the archive, checks its published SHA-256, and caches istioctl", async () => {
    const { standins, env, run, lines } = setUp();
    const archive = makeArchive(standins.dir);
    serve(archive);
    const binary = await resolveIstioctl(env, run, (l) => lines.push(l));
    expect(binary).toBe(path.join(standins.env.ICA_CACHE_DIR, "bin", "istioctl-1.26.8"));
    expect(existsSync(binary)).toBe(true);
    const sha = createHash("sha256").update(archive).digest("hex");
    expect(lines).toEqual([
      `downloading istioctl 1.26.8: ${base}/1.26.8/${istioctlArchiveName(VERSION)}`,
      `${istioctlArchiveName(VERSION)}: SHA-256 ${sha} matches the published one`,
    ]);
    expect(standins.calls()).toEqual(["istioctl version --remote=false -o json"]);
    // a second time, the cached binary is used: nothing is downloaded
    files.clear();
    expect(await resolveIstioctl(env, run, (l) => lines.push(l))).toBe(binary);
    expect(lines).toHaveLength(2);
  });

  it("refuses an archive whose SHA-256 is not the published one, and installs nothing", async () => {
    const { standins, env, run, lines } = setUp();
    const archive = makeArchive(standins.dir);
    const wrong = "0".repeat(64);
    const url = serve(archive, wrong);
    const actual = createHash("sha256").update(archive).digest("hex");
    await expect(resolveIstioctl(env, run, (l) => lines.push(l))).rejects.toThrow(
      `${istioctlArchiveName(VERSION)}: its SHA-256 is ${actual}, but the published one is ${wrong} (http://127.0.0.1:${(server.address() as { port: number }).port}${url}.sha256); nothing was installed. The download is corrupt or not the official release: try again, or set ICA_ISTIOCTL to an istioctl release binary of that version.`,
    );
    expect(existsSync(path.join(standins.env.ICA_CACHE_DIR, "bin", "istioctl-1.26.8"))).toBe(false);
    expect(standins.calls()).toEqual([]);
  });

  it("without a release to download, stops and says so", async () => {
    const { env, run } = setUp();
    files.clear();
    await expect(resolveIstioctl(env, run, () => {})).rejects.toThrow(
      `Could not download ${istioctlArchiveName(VERSION)} (${base}/1.26.8/${istioctlArchiveName(VERSION)}: HTTP 404). Check the network and try again, or set ICA_ISTIOCTL to an istioctl release binary of that version.`,
    );
  });

  it("ICA_ISTIOCTL naming no file is an error", async () => {
    const { env, run } = setUp();
    await expect(resolveIstioctl({ ...env, ICA_ISTIOCTL: "/nowhere/istioctl" }, run, () => {})).rejects.toThrow(
      "ICA_ISTIOCTL=/nowhere/istioctl does not exist. Point it at an istioctl 1.26.8 release binary, or unset it to download one.",
    );
  });
});

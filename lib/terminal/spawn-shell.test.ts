// The learner's shell starts with only the pty's descriptors: node-pty 1.1.0 lets a new shell
// inherit the pty masters of the shells started before it (microsoft/node-pty#657), and with one
// a shell could read or type into another scenario's terminal.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { IPty } from "node-pty";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { ActiveCluster } from "../cluster/active-cluster";
import { pickEditor, spawnShell } from "./spawn-shell";

const root = mkdtempSync(path.join(tmpdir(), "ica-spawn-shell-"));
const home = path.join(root, "home");
mkdirSync(home, { recursive: true });
const savedHome = process.env.HOME;
const savedPath = process.env.PATH;
const savedEditor = process.env.EDITOR;
const cluster: ActiveCluster = { driver: "none", name: "none", capabilities: { dataPlane: false } };
const ptys: IPty[] = [];
// bash's \\$ in the prompt
const prompt = process.getuid?.() === 0 ? "#" : "$";

afterEach(() => {
  for (const pty of ptys.splice(0)) {
    try {
      process.kill(-pty.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  process.env.HOME = savedHome;
  process.env.PATH = savedPath;
  if (savedEditor === undefined) delete process.env.EDITOR;
  else process.env.EDITOR = savedEditor;
});

/** A folder of fake commands (scripts that exit 0), plus bash itself when `withBash`. */
function makeBinDir(name: string, commands: string[], withBash = false): string {
  const dir = path.join(root, "bin", name);
  mkdirSync(dir, { recursive: true });
  for (const command of commands) writeFileSync(path.join(dir, command), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  if (withBash) {
    const bash = (savedPath ?? "").split(path.delimiter).find((d) => {
      try {
        return readdirSync(d).includes("bash");
      } catch {
        return false;
      }
    });
    if (!bash) throw new Error("no bash on PATH");
    symlinkSync(path.join(bash, "bash"), path.join(dir, "bash"));
  }
  return dir;
}
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function waitFor<T>(read: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts a shell like the terminal does and waits for its first prompt. */
async function startShell(scenarioId: string): Promise<IPty> {
  const { pty } = spawnShell(scenarioId, cluster, path.join(root, "workspaces"));
  ptys.push(pty);
  let output = "";
  pty.onData((d) => {
    output += d;
  });
  await waitFor(() => (output.includes(`${scenarioId} ${prompt} `) ? true : undefined), `${scenarioId}'s prompt`);
  return pty;
}

function listDescriptors(pid: number): Record<string, string> {
  const fds: Record<string, string> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds[fd] = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      // closed while we looked
    }
  }
  return fds;
}

describe.runIf(process.platform === "linux")("spawnShell", () => {
  it("starts bash with only the pty's descriptors, none of an earlier shell's", { timeout: 30_000 }, async () => {
    process.env.HOME = home;
    const first = await startShell("fds-first");
    const second = await startShell("fds-second");
    for (const pty of [first, second]) {
      // the pid is bash's own: the wrapper that closed the descriptors exec'd it
      expect(readFileSync(`/proc/${pty.pid}/comm`, "utf8").trim()).toBe("bash");
      const fds = listDescriptors(pty.pid);
      // 255 is bash's own copy of its terminal
      expect(Object.keys(fds).filter((fd) => !["0", "1", "2", "255"].includes(fd))).toEqual([]);
      expect(Object.values(fds).filter((target) => target.includes("ptmx"))).toEqual([]);
      expect(fds["0"]).toMatch(/^\/dev\/pts\/\d+$/);
      expect(fds["255"] ?? fds["0"]).toBe(fds["0"]);
    }
  });
});

describe("pickEditor", () => {
  it("picks vim, or nano when vim is missing, or nothing", () => {
    const both = makeBinDir("pick-both", ["vim", "nano"]);
    const nano = makeBinDir("pick-nano", ["nano"]);
    const neither = makeBinDir("pick-neither", ["vi"]);
    expect(pickEditor([neither, both].join(path.delimiter))).toBe("vim");
    expect(pickEditor(nano)).toBe("nano");
    expect(pickEditor([nano, both].join(path.delimiter))).toBe("vim");
    expect(pickEditor(neither)).toBeUndefined();
    expect(pickEditor(undefined)).toBeUndefined();
  });
});

describe.runIf(process.platform === "linux")("spawnShell's editor and tools", () => {
  /** Starts a shell with PATH set to `dir` alone, and returns its banner and $EDITOR/$KUBE_EDITOR. */
  async function readEditor(scenarioId: string, dir: string): Promise<{ banner: string; editors: string }> {
    process.env.HOME = home;
    process.env.PATH = dir;
    process.env.EDITOR = "ed";
    const { pty, banner } = spawnShell(scenarioId, cluster, path.join(root, "workspaces"));
    ptys.push(pty);
    let output = "";
    pty.onData((d) => {
      output += d;
    });
    await waitFor(() => (output.includes(`${scenarioId} ${prompt} `) ? true : undefined), `${scenarioId}'s prompt`);
    pty.write('echo "editors=$EDITOR,$KUBE_EDITOR."\r');
    const editors = await waitFor(() => output.match(/editors=([^.\s$]*)\./)?.[1], "the echo");
    return { banner, editors };
  }

  it("sets $EDITOR and $KUBE_EDITOR to nano when only nano is on PATH", { timeout: 30_000 }, async () => {
    const { banner, editors } = await readEditor("editor-nano", makeBinDir("shell-nano", ["nano"], true));
    expect(editors).toBe("nano,nano");
    expect(banner).toContain("$EDITOR: nano");
    expect(banner).toContain("missing: kubectl, istioctl, helm, yq, curl, wget");
  });

  it("prefers vim, and the banner lists the exam's tools it finds", { timeout: 30_000 }, async () => {
    const dir = makeBinDir("shell-vim", ["vim", "nano", "kubectl", "yq", "curl"], true);
    const { banner, editors } = await readEditor("editor-vim", dir);
    expect(editors).toBe("vim,vim");
    expect(banner).toContain("tools: kubectl (k), yq, curl; $EDITOR: vim");
    expect(banner).toContain("missing: istioctl, helm, wget");
  });

  it("leaves $EDITOR alone when there is neither vim nor nano", { timeout: 30_000 }, async () => {
    const { editors } = await readEditor("editor-none", makeBinDir("shell-none", [], true));
    expect(editors).toBe("ed,");
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IPty } from "node-pty";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../lib/cluster/drivers/run-command";
import { toolsBinDir } from "../../lib/paths";
import { spawnShell } from "../../lib/terminal/spawn-shell";
import { kubeconfigPath } from "./lite";

// The exam terminal's tools as the lite cluster's build provides them: yq from the tools folder,
// and a learner's shell (as the terminal starts it) where `k` and mikefarah's yq work.

const workspaces = mkdtempSync(join(tmpdir(), "ica-terminal-tools-"));
const ptys: IPty[] = [];

afterAll(() => {
  for (const pty of ptys) {
    try {
      process.kill(-pty.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  rmSync(workspaces, { recursive: true, force: true });
});

describe("terminal tools", () => {
  it("has mikefarah's yq v4 in the tools folder", async () => {
    const result = await runCommand(join(toolsBinDir(), "yq"), ["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/mikefarah\/yq.* version v4\.\d+\.\d+/);
  });

  it.runIf(process.platform === "linux")("runs `k get ns` and the built yq in a learner's shell", async () => {
    const { pty, banner } = spawnShell(
      "terminal-tools",
      {
        driver: "lite",
        name: "lite",
        capabilities: { dataPlane: false },
        binDir: toolsBinDir(),
        kubeconfig: kubeconfigPath(),
      },
      workspaces,
    );
    ptys.push(pty);
    expect(banner).toContain("kubectl (k), istioctl, helm, yq");
    let output = "";
    pty.onData((d) => {
      output += d;
    });
    // Typed at once, run once the shell has read its rc file. The markers are arithmetic, so the
    // echoed command line never contains them: k-5 prints only when `k get ns` lists istio-system.
    pty.write(
      "k get ns -o name | grep -q namespace/istio-system && echo k-$((2+3)); yq --version; echo done-$((1+1))\r",
    );
    const deadline = Date.now() + 60_000;
    while (!output.includes("done-2") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain("done-2");
    expect(output).toContain("k-5");
    expect(output).toMatch(/mikefarah\/yq\/?\)? version v4\./); // not Debian's Python yq in /usr/bin
  });
});

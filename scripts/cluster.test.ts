// npm run cluster: the driver `up` picks without --driver, and --dry-run through the CLI.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createStandins } from "../tests/fixtures/kind-standins/standins";

function cluster(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/cluster.ts", ...args], {
    env: env as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run cluster", { timeout: 60_000 }, () => {
  it("up without --driver and no Docker engine: lite, and says why in one line", () => {
    const standins = createStandins({ env: { KIND_STANDIN_DOCKER: "not-running" } });
    // --dry-run stops before lite would start (lite has no dry run)
    const { code, stderr } = cluster(["up", "--dry-run"], standins.env);
    expect(stderr.split("\n")[0]).toBe(
      "using the lite driver: Docker is not running (docker info: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?)",
    );
    expect(code).toBe(1);
    expect(standins.calls()).toEqual(["docker info --format {{json .}}"]);
  });

  it("up without --driver when Docker answers and kind works: kind's plan", () => {
    const standins = createStandins();
    const { code, stdout, stderr } = cluster(["up", "--dry-run"], standins.env);
    expect(stderr).toBe("using the kind driver: Docker 28.3.3 answers and kind v0.29.0 works\n");
    expect(code).toBe(0);
    expect(stdout).toContain(
      "kind create cluster --name ica-practice --image kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f",
    );
    expect(standins.calls()).toEqual(["docker info --format {{json .}}", "kind version"]);
  });

  it("up --driver kind --dry-run runs no tool at all", () => {
    const standins = createStandins();
    const { code, stdout } = cluster(["up", "--driver", "kind", "--dry-run"], standins.env);
    expect(code).toBe(0);
    expect(stdout).toContain("# pinned: node kindest/node:v1.33.1@sha256:0500");
    expect(standins.calls()).toEqual([]);
  });

  it("status prints the exam's Istio version (ICA_ISTIO_VERSION) for every driver", () => {
    const standins = createStandins({ env: { ICA_ISTIO_VERSION: "1.27.3" } });
    for (const driver of ["lite", "kind"]) {
      const { code, stdout } = cluster(["status", "--driver", driver], standins.env);
      expect(code, stdout).toBe(1);
      expect(stdout.split("\n").slice(0, 2)).toEqual([
        `${driver}: not running`,
        "  exam Istio version (ICA_ISTIO_VERSION): 1.27.3",
      ]);
    }
  });

  it("--bare is the lite cluster without Istio: refused with kind, its own folder for status", () => {
    const standins = createStandins();
    const refused = cluster(["up", "--bare", "--driver", "kind"], standins.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("--bare is for the lite driver only (this is kind)\n");
    const status = cluster(["status", "--bare"], standins.env);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(
      /^lite-bare: not running\n {2}exam Istio version \(ICA_ISTIO_VERSION\): 1\.26\.8\n {2}no cluster recorded in .*lite-bare\n$/,
    );
    expect(standins.calls()).toEqual([]);
  });
});

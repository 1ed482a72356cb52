// GET /api/cluster is the bar's status; POST /api/cluster/up refuses another origin before anything runs, and a second up while one
// runs; the driver is the one `npm run cluster -- up` picks with no --driver (stood in here: no
// cluster is started).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as status } from "../../app/api/cluster/route";
import { POST as up } from "../../app/api/cluster/up/route";

const driver = vi.hoisted(() => ({ release: () => {}, ups: 0 }));
vi.mock("../../lib/cluster/drivers/choose-driver", () => ({
  chooseUpDriver: async () => ({ name: "lite", reason: "Docker is not running (stand-in)" }),
  createDriver: () => ({
    up: (onProgress: (line: string) => void) => {
      driver.ups++;
      onProgress("starting (stand-in)");
      return new Promise((resolve) => {
        driver.release = () => resolve({ kubeconfig: "/x", reused: false });
      });
    },
  }),
}));

const request = (origin = "http://127.0.0.1:3000") =>
  new Request("http://127.0.0.1:3000/api/cluster/up", {
    method: "POST",
    headers: { host: "127.0.0.1:3000", origin },
  });

afterEach(() => {
  driver.release();
  driver.ups = 0;
});

describe("POST /api/cluster/up", () => {
  it("refuses another origin, and a request with no Origin, without running anything", async () => {
    expect((await up(request("http://evil.example"))).status).toBe(403);
    const noOrigin = new Request("http://127.0.0.1:3000/api/cluster/up", {
      method: "POST",
      headers: { host: "127.0.0.1:3000" },
    });
    expect((await up(noOrigin)).status).toBe(403);
    expect(driver.ups).toBe(0);
  });

  it("runs one up at a time: a second is refused while the first streams, then allowed", async () => {
    const first = await up(request());
    expect(first.status).toBe(200);
    const reader = (first.body as ReadableStream).pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("starting (stand-in)")) text += (await reader.read()).value;
    expect(text.split("\n")[0]).toBe(
      JSON.stringify({ progress: "using the lite driver: Docker is not running (stand-in)" }),
    );

    const second = await up(request());
    expect(second.status).toBe(503);
    expect(await second.json()).toEqual({
      error: "The cluster is already being brought up; wait for it to finish.",
    });

    driver.release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(JSON.parse(text.trim().split("\n").at(-1) as string)).toMatchObject({
      done: true,
      result: { driver: "lite", reused: false },
    });
    expect(driver.ups).toBe(1);
    const third = await up(request());
    expect(third.status).toBe(200);
    await third.body?.cancel();
  });
});

describe("GET /api/cluster", () => {
  it("with no cluster: the bar's view offers to start one", async () => {
    vi.stubEnv("ICA_CLUSTER", "none");
    try {
      const res = await status(new Request("http://127.0.0.1:3000/api/cluster"));
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ driver: "none", name: "none", isReady: null, pieces: [], action: "start" });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("?cluster=bare: the bare cluster of install tasks, which Set up starts (no button)", async () => {
    const cache = mkdtempSync(path.join(tmpdir(), "ica-bare-status-"));
    vi.stubEnv("ICA_CACHE_DIR", cache);
    try {
      const res = await status(new Request("http://127.0.0.1:3000/api/cluster?cluster=bare"));
      const view = await res.json();
      expect(view).toMatchObject({ driver: "lite", name: "ica-lite-bare", isReady: false });
      expect(view.problem).toContain("Set up the scenario");
      expect(view.action).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

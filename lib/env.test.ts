import { describe, expect, it } from "vitest";
import { connectGrader, resolveActiveCluster } from "./cluster/active-cluster";
import { EnvError, readEnv } from "./env";

describe("readEnv", () => {
  it("takes the defaults from an empty environment", () => {
    const e = readEnv({});
    expect(e).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 3000,
      ICA_TERMINAL_LEAVE_SECONDS: 600,
      ICA_TERMINAL_ORIGINS: [],
    });
    expect(e.ICA_CLUSTER).toBeUndefined();
  });

  it("refuses a misspelt ICA_CLUSTER, naming the variable and the allowed values", () => {
    expect(() => readEnv({ ICA_CLUSTER: "lit" })).toThrow(EnvError);
    expect(() => readEnv({ ICA_CLUSTER: "lit" })).toThrow(
      'ICA_CLUSTER="lit": expected one of lite, kind, current, none',
    );
    expect(() => resolveActiveCluster({ ICA_CLUSTER: "lit" })).toThrow(/ICA_CLUSTER="lit": expected one of lite/);
  });

  it("names every bad variable at once", () => {
    expect(() => readEnv({ PORT: "http", ICA_TERMINAL_ORIGINS: "not a url" })).toThrow(
      /PORT="http": .*; ICA_TERMINAL_ORIGINS="not a url": expected a comma-separated list of origins/,
    );
  });

  it("reads empty values as unset", () => {
    expect(readEnv({ ICA_CACHE_DIR: "", DATABASE_URL: " " })).toMatchObject({
      ICA_CACHE_DIR: undefined,
      DATABASE_URL: undefined,
    });
  });
});

describe("resolveActiveCluster", () => {
  it("says what the cluster can do: no data plane on lite, none without a cluster", () => {
    expect(resolveActiveCluster({ ICA_CLUSTER: "lite", ICA_CACHE_DIR: "/nonexistent" })).toMatchObject({
      driver: "lite",
      capabilities: { dataPlane: false },
      graderKubeconfig: "/nonexistent/lite/grader.kubeconfig",
    });
    expect(resolveActiveCluster({ ICA_CLUSTER: "none" })).toMatchObject({ driver: "none" });
  });
});

describe("connectGrader", () => {
  it("says in words, not ENOENT, that the lite cluster is not running and how to start it", () => {
    const made = connectGrader(resolveActiveCluster({ ICA_CLUSTER: "lite", ICA_CACHE_DIR: "/nonexistent" }));
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(made.failure.message).toBe(
      "The lite cluster is not running. Start it with: npm run cluster -- up --driver lite, then press Check again.",
    );
    expect(made.failure.message).not.toMatch(/ENOENT/);
  });
});

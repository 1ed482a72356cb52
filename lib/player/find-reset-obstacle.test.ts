import { afterEach, describe, expect, it } from "vitest";
import { findResetObstacle } from "./find-reset-obstacle";

const saved = process.env.ICA_CLUSTER;
afterEach(() => {
  if (saved === undefined) delete process.env.ICA_CLUSTER;
  else process.env.ICA_CLUSTER = saved;
});

describe("findResetObstacle", () => {
  it("is not-found for a scenario that does not exist", () => {
    expect(findResetObstacle("no-such-scenario")).toMatchObject({ code: "not-found" });
  });

  it("is unavailable when there is no cluster", () => {
    process.env.ICA_CLUSTER = "none";
    expect(findResetObstacle("traffic-mirroring")).toMatchObject({ code: "unavailable" });
  });

  it("is nothing for a scenario that loads on a cluster", () => {
    process.env.ICA_CLUSTER = "lite"; // chosen by name: nothing is read from a cluster
    expect(findResetObstacle("traffic-mirroring")).toBeUndefined();
  });
});

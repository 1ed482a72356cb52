import { describe, expect, it } from "vitest";
import { judgeShares } from "./shares";
import { answersOf, gradeTraffic, HELLOWORLD, replayProber } from "./test-world";

const x = { versionPattern: "version: ?([\\w.-]+)", tolerance: 10, target: "to GET helloworld.shop:5000/hello" };

describe("traffic.shares: judging recorded answers", () => {
  it("passes 18 v1 / 2 v2 against 90/10, and against 9:1 written as shares", () => {
    const r = judgeShares({ ...x, expect: { v1: 90, v2: 10 } }, answersOf("helloworld-90-10.txt"));
    expect(r.status, r.message).toBe("pass");
    expect(r.message).toMatch(/v1 90%, v2 10%/);
  });

  it("fails a round-robin split (no routing) against 90/10, naming the observed shares", () => {
    const r = judgeShares({ ...x, expect: { v1: 90, v2: 10 } }, answersOf("helloworld-round-robin.txt"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/v1 50%, v2 50%, expected v1 90%, v2 10% ± 10 points \(off: v1, v2\)/);
  });

  it("is exact at 100%: one v2 answer among v1s fails `v1: 100`", () => {
    const r = judgeShares({ ...x, expect: { v1: 100 } }, answersOf("helloworld-90-10.txt"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/off: v1, v2/);
  });

  it("counts error statuses against the shares and names them", () => {
    const r = judgeShares({ ...x, expect: { v1: 90, v2: 10 } }, answersOf("helloworld-no-healthy-upstream.txt"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/HTTP 503 100%/);
    expect(r.message).toMatch(/statuses: 503 ×10/);
  });

  it("widens with the tolerance the check states", () => {
    const r = judgeShares({ ...x, tolerance: 45, expect: { v1: 90, v2: 10 } }, answersOf("helloworld-round-robin.txt"));
    expect(r.status).toBe("pass");
  });
});

describe("traffic.shares through the engine", () => {
  const params = { host: "helloworld", namespace: "shop", path: "/hello", expect: { v1: 90, v2: 10 } };

  it("sends count requests to the Service's own port from the prober and judges them", async () => {
    const prober = replayProber(["helloworld-90-10.txt"]);
    const r = await gradeTraffic("traffic.shares", { ...params, count: 20 }, HELLOWORLD, prober);
    expect(r.status, r.message).toBe("pass");
    expect(prober.sent[0]).toMatchObject({ url: "http://helloworld.shop.svc.cluster.local:5000/hello", count: 20 });
    expect(prober.sent[0].userAgent).toMatch(/^ica-prober\/[0-9a-f]{8}$/);
  });

  it("fails without sending when the Service is missing", async () => {
    const prober = replayProber(["helloworld-90-10.txt"]);
    const r = await gradeTraffic("traffic.shares", params, "", prober);
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/no Service shop\/helloworld/);
    expect(prober.sent).toHaveLength(0);
  });

  it("is skipped on lite, saying what is missing and what judges the task", async () => {
    const r = await gradeTraffic("traffic.shares", params, HELLOWORLD, undefined, false);
    expect(r.status).toBe("skipped");
    expect(r.message).toBe(
      "the lite cluster has no data plane: traffic is not sent; the configuration checks of this task judge it",
    );
  });

  it("is skipped on a cluster with a data plane whose driver runs no prober", async () => {
    const r = await gradeTraffic("traffic.shares", params, HELLOWORLD, undefined, true);
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(
      /^this cluster runs no prober to send requests from \(lib\/cluster\/prober\/prober.yaml\)/,
    );
  });

  it("is an error, not a fail, when the prober cannot run", async () => {
    const prober = replayProber([]);
    prober.send = async () => ({ ok: false, failure: { reason: "forbidden", message: "pods/exec denied" } });
    const r = await gradeTraffic("traffic.shares", params, HELLOWORLD, prober);
    expect(r.status).toBe("error");
    expect(r.message).toMatch(/the prober could not send requests \(forbidden\): pods\/exec denied/);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { parseAccessLog } from "../../../istio/access-log";
import { accessLogFlush } from "./context";
import { judgeMirror } from "./mirror";
import { fixture, gradeTraffic, HELLOWORLD, logLinesOf, replayProber } from "./test-world";

const UA = "ica-prober/rec0rded";
const log = (name: string) => parseAccessLog(fixture(name).split("\n")).filter((e) => e.userAgent.startsWith(`${UA}/`));
const x = { tolerance: 20, sent: 8, pods: "pods app=helloworld,version=v2 in mirror-lab" };

describe("traffic.mirror: judging recorded access logs", () => {
  it("counts the -shadow copies at v2: 4 of 8 is 50%", () => {
    const r = judgeMirror({ ...x, percent: 50 }, log("mirror-v2-access.log"), log("mirror-prober-access.log"));
    expect(r.status, r.message).toBe("pass");
    expect(r.message).toBe(
      "4 of 8 requests arrived at pods app=helloworld,version=v2 in mirror-lab as mirrored copies (50%)",
    );
  });

  it("passes any share above 0 when no percent is asked, fails 100% asked", () => {
    expect(judgeMirror(x, log("mirror-v2-access.log"), []).status).toBe("pass");
    const r = judgeMirror({ ...x, percent: 100 }, log("mirror-v2-access.log"), []);
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/\(50%\), expected 100% ± 20 points/);
  });

  it("fails a split: v2 served live requests but got no copy", () => {
    const r = judgeMirror({ ...x, percent: 50 }, log("mirror-v2-live.log"), log("mirror-prober-access.log"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/0 of 8 requests .* \(0%\); 4 requests were served there as live traffic, not as copies/);
  });

  it("fails when nothing arrives at v2 while the prober's log shows the requests", () => {
    const r = judgeMirror({ ...x, percent: 50 }, [], log("mirror-prober-access.log"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/^0 of 8 requests/);
  });

  it("cannot judge without access logs: an error, not a fail", () => {
    expect(() => judgeMirror({ ...x, percent: 50 }, [], [])).toThrow(/access logging is off/);
  });
});

describe("traffic.mirror through the engine", () => {
  beforeAll(() => {
    accessLogFlush.ms = 0;
  });

  it("sends, then reads the access log of the mirror's pods and of the prober", async () => {
    const prober = replayProber(["helloworld-90-10.txt"], (q, ua) =>
      logLinesOf(q.namespace === "ica-prober" ? "mirror-prober-access.log" : "mirror-v2-access.log", ua),
    );
    const params = {
      host: "helloworld",
      namespace: "shop",
      path: "/hello",
      mirrorLabels: { app: "helloworld", version: "v2" },
      percent: 50,
      count: 8,
    };
    const r = await gradeTraffic("traffic.mirror", params, HELLOWORLD, prober);
    expect(r.status, r.message).toBe("pass");
    expect(prober.queries.map((q) => [q.namespace, q.labels])).toEqual([
      ["shop", { app: "helloworld", version: "v2" }],
      ["ica-prober", { app: "ica-prober" }],
    ]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { parseAccessLog } from "../../../istio/access-log";
import { accessLogFlush } from "./context";
import { judgeRetries } from "./retries";
import { fixture, gradeTraffic, HTTPBIN, logLinesOf, replayProber } from "./test-world";

const UA = "ica-prober/rec0rded";
const log = (name: string) => parseAccessLog(fixture(name).split("\n"));
const x = { sent: 2, userAgent: UA, target: "to GET httpbin.shop:8000/status/500" };

describe("traffic.retries: judging recorded access logs", () => {
  it("counts 4 tries per request at httpbin: 3 retries", () => {
    const r = judgeRetries({ ...x, retries: 3 }, log("retries-httpbin-4-tries.log"), log("retries-prober-access.log"));
    expect(r.status, r.message).toBe("pass");
    expect(r.message).toMatch(/were retried 3, 3 time\(s\) \(statuses at the service: 500\)/);
  });

  it("fails requests tried once when 3 retries are expected, and passes them for 0", () => {
    const once = log("retries-httpbin-1-try.log");
    const r = judgeRetries({ ...x, retries: 3 }, once, log("retries-prober-access.log"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/retried 0, 0 time\(s\).*expected 3 retries each/);
    expect(judgeRetries({ ...x, retries: 0 }, once, []).status).toBe("pass");
  });

  it("cannot judge without access logs: an error, not a fail", () => {
    expect(() => judgeRetries({ ...x, retries: 3 }, [], [])).toThrow(/access logging is off/);
  });
});

describe("traffic.retries through the engine", () => {
  beforeAll(() => {
    accessLogFlush.ms = 0;
  });

  it("reads the access log of the service's pods", async () => {
    const prober = replayProber(["httpbin-timeout-504.txt"], (q, ua) =>
      logLinesOf(q.namespace === "ica-prober" ? "retries-prober-access.log" : "retries-httpbin-4-tries.log", ua),
    );
    const params = {
      host: "httpbin",
      namespace: "shop",
      path: "/status/500",
      retries: 3,
      targetLabels: { app: "httpbin" },
    };
    const r = await gradeTraffic("traffic.retries", params, HTTPBIN, prober);
    expect(r.status, r.message).toBe("pass");
    expect(prober.queries[0]).toMatchObject({ namespace: "shop", labels: { app: "httpbin" } });
  });
});

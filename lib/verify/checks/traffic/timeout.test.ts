import { describe, expect, it } from "vitest";
import { answersOf, gradeTraffic, HTTPBIN, replayProber } from "./test-world";
import { judgeTimeout } from "./timeout";

const x = { toleranceSeconds: 1, target: "to GET httpbin.shop:8000/delay/10" };

describe("traffic.timeout: judging recorded answers", () => {
  it("passes a 504 after 5 s for a 5s timeout (also written 5000ms)", () => {
    for (const timeout of ["5s", "5000ms"]) {
      const r = judgeTimeout({ ...x, timeout }, answersOf("httpbin-timeout-504.txt"));
      expect(r.status, r.message).toBe("pass");
    }
  });

  it("passes a per-try timeout that ends the request sooner", () => {
    expect(judgeTimeout({ ...x, timeout: "5s" }, answersOf("httpbin-per-try-504.txt")).status).toBe("pass");
  });

  it("fails a request answered 200 after 10 s, and a 504 that came too late", () => {
    const slow = judgeTimeout({ ...x, timeout: "5s" }, answersOf("httpbin-delay-200.txt"));
    expect(slow.status).toBe("fail");
    expect(slow.message).toMatch(/200 after 10.01 s; expected 504 within 5s \(\+1 s\)/);
    const late = judgeTimeout({ ...x, timeout: "2s" }, answersOf("httpbin-timeout-504.txt"));
    expect(late.status).toBe("fail");
    expect(late.message).toMatch(/504 after 5.00 s/);
  });
});

describe("traffic.timeout through the engine", () => {
  it("waits long enough for the slow path to answer without a timeout", async () => {
    const prober = replayProber(["httpbin-timeout-504.txt"]);
    const params = { host: "httpbin", namespace: "shop", path: "/delay/10", timeout: "5s" };
    const r = await gradeTraffic("traffic.timeout", params, HTTPBIN, prober);
    expect(r.status, r.message).toBe("pass");
    expect(prober.sent[0]).toMatchObject({
      url: "http://httpbin.shop.svc.cluster.local:8000/delay/10",
      timeoutSeconds: 16,
    });
  });
});

import { describe, expect, it } from "vitest";
import { judgeFault } from "./fault";
import { answersOf, gradeTraffic, HELLOWORLD, replayProber } from "./test-world";

const target = "to GET helloworld.shop:5000/hello";

describe("traffic.fault: judging recorded answers", () => {
  it("sees a 7s delay in every request's time, 7s written as 7000ms too", () => {
    for (const fixedDelay of ["7s", "7000ms"]) {
      const r = judgeFault(
        { delay: { fixedDelay, percent: 100 }, tolerance: 10, target },
        answersOf("fault-delay-7s.txt"),
      );
      expect(r.status, r.message).toBe("pass");
    }
  });

  it("fails requests that came back at once, with their times", () => {
    const r = judgeFault(
      { delay: { fixedDelay: "7s", percent: 100 }, tolerance: 10, target },
      answersOf("fault-no-delay.txt"),
    );
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(
      /0 took 7 s or more \(0%; times 0.01 s, 0.00 s; statuses 200 ×2\), expected 100% delayed by 7s/,
    );
  });

  it("counts aborts by status and Envoy's body: 10 of 20 is 50%", () => {
    const r = judgeFault(
      { abort: { httpStatus: 503, percent: 50 }, tolerance: 10, target },
      answersOf("fault-abort-50.txt"),
    );
    expect(r.status, r.message).toBe("pass");
    expect(r.message).toMatch(/10 aborted by the sidecar with 503 \(50%; statuses 200 ×10, 503 ×10\)/);
  });

  it("fails another status, and a 503 that is not an injected abort", () => {
    const other = judgeFault(
      { abort: { httpStatus: 500, percent: 50 }, tolerance: 10, target },
      answersOf("fault-abort-50.txt"),
    );
    expect(other.status).toBe("fail");
    expect(other.message).toMatch(/expected 50% aborted with 500/);
    const app = judgeFault(
      { abort: { httpStatus: 503, percent: 50 }, tolerance: 10, target },
      answersOf("helloworld-no-healthy-upstream.txt"),
    );
    expect(app.status).toBe("fail");
    expect(app.message).toMatch(/0 aborted by the sidecar with 503 \(0%; statuses 503 ×10\)/);
  });
});

describe("traffic.fault through the engine", () => {
  it("sends the test user's header, 2 requests for a delay with time to wait for it", async () => {
    const prober = replayProber(["fault-delay-7s.txt"]);
    const params = {
      host: "helloworld",
      namespace: "shop",
      headers: { "end-user": "jason" },
      delay: { fixedDelay: "7s" },
    };
    const r = await gradeTraffic("traffic.fault", params, HELLOWORLD, prober);
    expect(r.status, r.message).toBe("pass");
    expect(prober.sent[0]).toMatchObject({ count: 2, headers: { "end-user": "jason" }, timeoutSeconds: 12 });
  });

  it("refuses parameters naming both a delay and an abort", async () => {
    const params = { host: "helloworld", namespace: "shop", delay: { fixedDelay: "7s" }, abort: { httpStatus: 503 } };
    const r = await gradeTraffic("traffic.fault", params, HELLOWORLD, replayProber([]));
    expect(r.status).toBe("error");
    expect(r.message).toMatch(/name either `delay` or `abort`/);
  });
});

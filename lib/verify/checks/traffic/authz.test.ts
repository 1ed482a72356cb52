import { describe, expect, it } from "vitest";
import { judgeAuthz } from "./authz";
import { answersOf, gradeTraffic, HTTPBIN, replayProber } from "./test-world";

const x = { caller: "the prober", target: "to GET httpbin.authz-lab:8000/get" };

describe("traffic.authz: judging recorded answers", () => {
  it("passes deny on 403 RBAC: access denied, fails it on 200", () => {
    expect(judgeAuthz({ ...x, expect: "deny" }, answersOf("authz-rbac-403.txt")).status).toBe("pass");
    const r = judgeAuthz({ ...x, expect: "deny" }, answersOf("authz-get-200.txt"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/200 ×3; expected every one denied with 403 "RBAC: access denied"/);
  });

  it("passes allow on 200, fails it on RBAC denials", () => {
    expect(judgeAuthz({ ...x, expect: "allow" }, answersOf("authz-get-200.txt")).status).toBe("pass");
    const r = judgeAuthz({ ...x, expect: "allow" }, answersOf("authz-rbac-403.txt"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/but 3 got 403 "RBAC: access denied"/);
  });

  it("does not take an application's own 403 or a fault abort for a policy's denial", () => {
    expect(judgeAuthz({ ...x, expect: "deny" }, answersOf("fault-abort-50.txt")).status).toBe("fail");
  });
});

describe("traffic.authz through the engine", () => {
  it("sends plain text from the prober without a sidecar when asked", async () => {
    const prober = replayProber(["authz-rbac-403.txt"]);
    const params = { host: "httpbin", namespace: "shop", path: "/get", expect: "deny", isPlainText: true };
    const r = await gradeTraffic("traffic.authz", params, HTTPBIN, prober);
    expect(r.status, r.message).toBe("pass");
    expect(prober.sent[0].isPlainText).toBe(true);
    expect(r.message).toMatch(/from the prober without a sidecar \(plain text\)/);
  });
});

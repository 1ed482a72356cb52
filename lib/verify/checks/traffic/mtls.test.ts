import { describe, expect, it } from "vitest";
import { clientIdentityOf, judgeMtls } from "./mtls";
import { answersOf, gradeTraffic, HTTPBIN, replayProber } from "./test-world";

const target = "to GET httpbin.strict-lab:8000/headers";

describe("traffic.mtls: judging recorded answers", () => {
  it("reads the prober's identity from the echoed X-Forwarded-Client-Cert", () => {
    expect(clientIdentityOf(answersOf("mtls-headers-xfcc.txt")[0].body)).toBe(
      "spiffe://cluster.local/ns/ica-prober/sa/ica-prober",
    );
  });

  it("passes STRICT: mTLS via the sidecar, plain text reset", () => {
    const r = judgeMtls(
      { strict: true, target },
      answersOf("mtls-headers-xfcc.txt"),
      answersOf("mtls-plain-reset.txt"),
    );
    expect(r.status, r.message).toBe("pass");
    expect(r.message).toMatch(
      /saw the prober as spiffe:\/\/cluster.local\/ns\/ica-prober\/sa\/ica-prober; plain-text requests were refused \(no answer \(curl exit 56\) ×3\)/,
    );
  });

  it("fails PERMISSIVE where STRICT is expected, naming what plain text got", () => {
    const r = judgeMtls({ strict: true, target }, answersOf("mtls-headers-xfcc.txt"), answersOf("mtls-plain-200.txt"));
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/plain-text requests .* got 200 ×3; expected them refused \(STRICT\)/);
    expect(
      judgeMtls({ strict: false, target }, answersOf("mtls-headers-xfcc.txt"), answersOf("mtls-plain-200.txt")).status,
    ).toBe("pass");
  });

  it("fails a call that was not mutual TLS (no client certificate passed on)", () => {
    const r = judgeMtls(
      { strict: true, target },
      answersOf("mtls-headers-no-xfcc.txt"),
      answersOf("mtls-plain-reset.txt"),
    );
    expect(r.status).toBe("fail");
    expect(r.message).toMatch(/no X-Forwarded-Client-Cert/);
  });
});

describe("traffic.mtls through the engine", () => {
  it("sends from the prober with a sidecar, then from the one without", async () => {
    const prober = replayProber(["mtls-headers-xfcc.txt", "mtls-plain-reset.txt"]);
    const r = await gradeTraffic("traffic.mtls", { host: "httpbin", namespace: "shop" }, HTTPBIN, prober);
    expect(r.status, r.message).toBe("pass");
    expect(prober.sent.map((s) => [s.url, s.isPlainText ?? false])).toEqual([
      ["http://httpbin.shop.svc.cluster.local:8000/headers", false],
      ["http://httpbin.shop.svc.cluster.local:8000/headers", true],
    ]);
  });
});

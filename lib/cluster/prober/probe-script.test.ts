import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseProbeOutput, probeScript } from "./probe-script";

describe("probeScript", () => {
  it("loops curl count times, quoting headers, user agent and URL for sh", () => {
    const s = probeScript({
      url: "http://reviews.shop.svc.cluster.local:9080/it's",
      count: 3,
      headers: { "end-user": "jason" },
      userAgent: "ica-prober/abc",
      timeoutSeconds: 12,
    });
    expect(s).toContain("while [ $i -le 3 ]; do");
    expect(s).toContain("--max-time 12 -X 'GET' -H 'end-user: jason' -A 'ica-prober/abc'/$i");
    expect(s).toContain(`'http://reviews.shop.svc.cluster.local:9080/it'"'"'s'`);
  });

  it("runs in sh and frames every answer, a failed connection included", () => {
    // A stand-in curl that prints what the real one does for an answer and for a reset.
    const curl = `curl() { case "$i" in 1) printf 'HTTP/1.1 200 OK\\r\\nserver: envoy\\r\\n\\r\\nHello version: v1\\n\\n@@ica-result code=200 time=0.004 exit=0\\n';; *) printf 'curl: (56) Recv failure: Connection reset by peer\\n\\n@@ica-result code=000 time=0.002 exit=56\\n';; esac; }`;
    const script = `${curl}\n${probeScript({ url: "http://x", count: 2, userAgent: "ua" })}`;
    const answers = parseProbeOutput(execFileSync("sh", ["-c", script], { encoding: "utf8" }));
    expect(answers).toEqual([
      { status: 200, seconds: 0.004, headers: { server: "envoy" }, body: "Hello version: v1\n", curlExit: 0 },
      {
        status: 0,
        seconds: 0.002,
        headers: {},
        body: "curl: (56) Recv failure: Connection reset by peer\n",
        curlExit: 56,
      },
    ]);
  });
});

describe("parseProbeOutput", () => {
  it("keeps the last response head (after a 100 Continue) and counts a cut-off record as no answer", () => {
    const out = [
      "@@ica-probe 1",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nRBAC: access denied",
      "@@ica-result code=403 time=0.003 exit=0",
      "@@ica-probe 2",
      "HTTP/1.1 200 OK\r\n",
    ].join("\n");
    const [a, b] = parseProbeOutput(out);
    expect(a).toMatchObject({ status: 403, headers: { "content-type": "text/plain" }, body: "RBAC: access denied" });
    expect(b).toMatchObject({ status: 0, curlExit: -1 });
  });
});

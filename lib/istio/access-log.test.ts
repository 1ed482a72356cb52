import { describe, expect, it } from "vitest";
import { isShadowCopy, parseAccessLog, parseAccessLogLine } from "./access-log";

// Istio 1.26's default text format, as istio-proxy writes it to stdout.
const INBOUND_SHADOW =
  '[2026-12-04T05:20:11.103Z] "GET /hello HTTP/1.1" 200 - via_upstream - "-" 0 60 2 1 "10.244.0.21" "ica-prober/rec0rded/1" "6f1c2a9e-0b3d-4e5f-8a7b-000000000001" "helloworld.mirror-lab.svc.cluster.local-shadow:5000" "10.244.0.16:5000" inbound|5000|| 127.0.0.6:39877 10.244.0.16:5000 10.244.0.21:0 outbound_.5000_.v2_.helloworld.mirror-lab.svc.cluster.local default';
const OUTBOUND_RBAC =
  '[2026-12-04T05:23:40.551Z] "GET /get HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl/8.16.0" "e3b0c442-98fc-4c14-9afb-000000000000" "httpbin:8000" "10.244.0.18:8080" inbound|8080|| - 10.244.0.18:8080 10.244.0.21:0 outbound_.8000_._.httpbin.authz-lab.svc.cluster.local -';

describe("parseAccessLogLine", () => {
  it("reads the fields of the default text format", () => {
    expect(parseAccessLogLine(INBOUND_SHADOW)).toEqual({
      method: "GET",
      path: "/hello",
      status: 200,
      responseFlags: "-",
      userAgent: "ica-prober/rec0rded/1",
      requestId: "6f1c2a9e-0b3d-4e5f-8a7b-000000000001",
      authority: "helloworld.mirror-lab.svc.cluster.local-shadow:5000",
      upstreamCluster: "inbound|5000||",
    });
    expect(parseAccessLogLine(OUTBOUND_RBAC)).toMatchObject({
      status: 403,
      userAgent: "curl/8.16.0",
      authority: "httpbin:8000",
    });
  });

  it("reads the JSON encoding too", () => {
    const json = JSON.stringify({
      method: "GET",
      path: "/hello",
      response_code: 200,
      user_agent: "ua/1",
      authority: "h-shadow",
    });
    expect(parseAccessLogLine(json)).toMatchObject({ status: 200, userAgent: "ua/1", authority: "h-shadow" });
  });

  it("passes over the proxy's other log lines", () => {
    const lines = ["2026-12-04T05:18:42.118271Z\tinfo\txdsproxy\tconnected to upstream XDS server", "", INBOUND_SHADOW];
    expect(parseAccessLog(lines)).toHaveLength(1);
  });
});

describe("isShadowCopy", () => {
  it("knows a mirrored copy by -shadow on its authority's host, with or without a port", () => {
    const entry = parseAccessLogLine(INBOUND_SHADOW);
    expect(entry && isShadowCopy(entry)).toBe(true);
    expect(isShadowCopy({ ...(entry as NonNullable<typeof entry>), authority: "helloworld-shadow" })).toBe(true);
    expect(isShadowCopy({ ...(entry as NonNullable<typeof entry>), authority: "helloworld:5000" })).toBe(false);
  });
});

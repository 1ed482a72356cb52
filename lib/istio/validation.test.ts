import { describe, expect, it } from "vitest";
import type { KubeObject } from "../cluster/types";
import { isExportedTo, isPrivate } from "./export-to";
import {
  exportToProblem,
  isValidRe2,
  matchRegexProblems,
  retryProblems,
  routeConflictProblems,
  tlsRouteProblems,
} from "./validation";

const obj = (kind: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: "networking.istio.io/v1", kind, metadata: { name: "x", namespace: "shop" }, spec }) as KubeObject;

describe("exportTo as Istio validates it", () => {
  it("rejects ~ on a VirtualService or DestinationRule, and ~ or * mixed with other entries", () => {
    expect(exportToProblem(obj("VirtualService", { exportTo: ["~"] }))).toMatch(/not allowed/);
    expect(exportToProblem(obj("DestinationRule", { exportTo: ["~", "."] }))).toMatch(/not allowed/);
    expect(exportToProblem(obj("ServiceEntry", { exportTo: ["~"] }))).toBeUndefined();
    expect(exportToProblem(obj("ServiceEntry", { exportTo: ["~", "shop"] }))).toMatch(/no one \(~\) and someone/);
    expect(exportToProblem(obj("VirtualService", { exportTo: ["*", "shop"] }))).toMatch(/mixes \*/);
    expect(exportToProblem(obj("VirtualService", { exportTo: [".", "shop"] }))).toMatch(/duplicate/);
    expect(exportToProblem(obj("VirtualService", { exportTo: [".", "other"] }))).toBeUndefined();
  });
  it("an object exported to ~, or with an exportTo Istio rejects, is visible nowhere", () => {
    expect(isExportedTo(obj("ServiceEntry", { exportTo: ["~"] }), "shop")).toBe(false);
    expect(isExportedTo(obj("VirtualService", { exportTo: ["~", "shop"] }), "shop")).toBe(false);
    expect(isPrivate(obj("VirtualService", { exportTo: ["~", "."] }))).toBe(false);
    expect(isExportedTo(obj("VirtualService", { exportTo: [".", "other"] }), "other")).toBe(true);
  });
});

describe("regex matches as Istio validates them", () => {
  it("RE2 syntax", () => {
    expect(isValidRe2(".*")).toBe(true);
    expect(isValidRe2("*")).toBe(false);
    expect(isValidRe2("(?=a)")).toBe(false);
  });
  it('rejects regex "*" in headers, but not in withoutHeaders; delegating rules take no regex', () => {
    const vs = (http: unknown[], hosts = ["h"]) => obj("VirtualService", { hosts, http });
    expect(matchRegexProblems(vs([{ match: [{ headers: { u: { regex: "*" } } }] }]))).toEqual([
      'spec.http[0].match[0].headers.u.regex "*" is not a valid RE2 regular expression',
    ]);
    expect(matchRegexProblems(vs([{ match: [{ withoutHeaders: { u: { regex: "*" } } }] }]))).toEqual([]);
    expect(matchRegexProblems(vs([{ match: [{ uri: { regex: "/a.*" } }] }], []))).toEqual([
      "spec.http[0].match[0].uri.regex: regex matches are not supported when delegating",
    ]);
  });
});

describe("route conflicts Istio's validation rejects (issue #13)", () => {
  const route = [{ destination: { host: "helloworld" } }];
  it("a delegate VirtualService (no hosts) with gateways, tcp or tls", () => {
    expect(routeConflictProblems(obj("VirtualService", { gateways: ["gw"], http: [{ route }] }))).toEqual([
      "spec.gateways is set on a delegate VirtualService (no hosts), which must have none",
    ]);
    expect(routeConflictProblems(obj("VirtualService", { hosts: ["a"], gateways: ["gw"], http: [{ route }] }))).toEqual(
      [],
    );
  });
  it("a rule with delegate and route, mirror and mirrors, or nothing to do", () => {
    expect(
      routeConflictProblems(obj("VirtualService", { hosts: ["a"], http: [{ delegate: { name: "d" }, route }] })),
    ).toEqual(["spec.http[0] has both route and delegate"]);
    expect(
      routeConflictProblems(
        obj("VirtualService", {
          hosts: ["a"],
          http: [{ route, mirror: { host: "a" }, mirrors: [{ destination: { host: "a" } }] }],
        }),
      ),
    ).toEqual(["spec.http[0] has both mirror and mirrors"]);
    expect(
      routeConflictProblems(obj("VirtualService", { hosts: ["a"], http: [{ corsPolicy: {} }, { route }] })),
    ).toEqual(["spec.http[0] has no route, redirect, directResponse or delegate (one is required)"]);
    expect(
      routeConflictProblems(obj("VirtualService", { hosts: ["a"], http: [{ delegate: { name: "d" } }, { route }] })),
    ).toEqual([]);
  });
});

describe("retry policies Istio's validation rejects (issue #13)", () => {
  const retry = (retries: Record<string, unknown>) =>
    retryProblems(
      obj("VirtualService", { hosts: ["a"], http: [{ route: [{ destination: { host: "a" } }], retries }] }),
    );
  it("accepts conditions and status codes, rejects unknown conditions and negative attempts", () => {
    expect(retry({ attempts: 3, retryOn: "5xx,connect-failure,503,retriable-4xx" })).toEqual([]);
    expect(retry({ attempts: 3, retryOn: "gateway-error,500" })).toEqual([]);
    expect(retry({ attempts: 3, retryOn: "gateway-error, 500" })).toEqual([
      'spec.http[0].retries.retryOn: " 500" is not a retry condition or an HTTP status code',
    ]);
    expect(retry({ attempts: 3, retryOn: "5XX" })).toEqual([
      'spec.http[0].retries.retryOn: "5XX" is not a retry condition or an HTTP status code',
    ]);
    expect(retry({ attempts: -1 })).toEqual(["spec.http[0].retries.attempts is negative"]);
  });
});

describe("TLS routes as Istio validates them (issue #14)", () => {
  const route = [{ destination: { host: "nginx", port: { number: 443 } } }];
  const vs = (hosts: string[], tls: unknown[]) => obj("VirtualService", { hosts, tls });
  it("sniHosts must be a subset of the VirtualService's hosts as written", () => {
    expect(
      tlsRouteProblems(vs(["secure.example.com"], [{ match: [{ sniHosts: ["secure.example.com"] }], route }])),
    ).toEqual([]);
    expect(
      tlsRouteProblems(vs(["*.example.com"], [{ match: [{ sniHosts: ["a.example.com", "*.b.example.com"] }], route }])),
    ).toEqual([]);
    expect(tlsRouteProblems(vs(["*"], [{ match: [{ sniHosts: ["anything.org"] }], route }]))).toEqual([]);
    expect(
      tlsRouteProblems(
        vs(["secure.example.com"], [{ match: [{ sniHosts: ["nginx.shop.svc.cluster.local"] }], route }]),
      ),
    ).toEqual([
      'spec.tls[0].match[0].sniHosts "nginx.shop.svc.cluster.local" is not a subset of any of the VirtualService\'s hosts ["secure.example.com"]',
    ]);
    expect(tlsRouteProblems(vs(["a.example.com"], [{ match: [{ sniHosts: ["*.example.com"] }], route }]))).toHaveLength(
      1,
    );
  });
  it("a rule needs a match with sniHosts, and a route", () => {
    expect(tlsRouteProblems(vs(["a.example.com"], [{ route }]))).toEqual([
      "spec.tls[0] has no match (a TLS route needs at least one)",
    ]);
    expect(tlsRouteProblems(vs(["a.example.com"], [{ match: [{ port: 443 }], route }]))).toEqual([
      "spec.tls[0].match[0] has no sniHosts (a TLS match needs at least one)",
    ]);
    expect(tlsRouteProblems(vs(["a.example.com"], [{ match: [{ sniHosts: ["a.example.com"] }] }]))).toEqual([
      "spec.tls[0] has no route",
    ]);
  });
});

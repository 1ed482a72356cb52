import { describe, expect, it } from "vitest";
import { isCatchAll, isEnvoyCatchAll, matchesRequest, matchesString, ruleMatches, sampleRequest } from "./http-match";

describe("string matches", () => {
  it("exact, prefix, regex (whole value) and presence", () => {
    expect(matchesString({ exact: "/a" }, "/a")).toBe(true);
    expect(matchesString({ exact: "/a" }, "/ab")).toBe(false);
    expect(matchesString({ prefix: "/a" }, "/ab")).toBe(true);
    expect(matchesString({ regex: "/a.*" }, "/abc")).toBe(true);
    expect(matchesString({ regex: "a" }, "/abc")).toBe(false);
    expect(matchesString({}, "anything")).toBe(true);
    expect(matchesString({}, undefined)).toBe(false);
    expect(matchesString({ regex: "([" }, "x")).toBe(false);
    expect(matchesString({ exact: "/A" }, "/a", true)).toBe(true);
  });
});

describe("request matching", () => {
  const req = sampleRequest({
    uri: "/api/v1",
    method: "post",
    headers: { "End-User": "jason" },
    queryParams: { q: "1" },
  });
  it("ANDs the conditions of one match", () => {
    expect(matchesRequest({ uri: { prefix: "/api" }, headers: { "end-user": { exact: "jason" } } }, req, "ns")).toBe(
      true,
    );
    expect(matchesRequest({ uri: { prefix: "/api" }, headers: { "end-user": { exact: "bob" } } }, req, "ns")).toBe(
      false,
    );
    expect(matchesRequest({ method: { exact: "POST" }, queryParams: { q: { exact: "1" } } }, req, "ns")).toBe(true);
    expect(matchesRequest({ withoutHeaders: { "end-user": {} } }, req, "ns")).toBe(false);
    expect(matchesRequest({ uri: { exact: "/API/V1" }, ignoreUriCase: true }, req, "ns")).toBe(true);
  });
  it("ORs the matches of a rule; no match means every request", () => {
    expect(ruleMatches({ match: [{ uri: { exact: "/x" } }, { method: { exact: "POST" } }] }, req, "ns")).toBe(true);
    expect(ruleMatches({}, req, "ns")).toBe(true);
  });
  it("honours match.gateways and sourceLabels", () => {
    expect(matchesRequest({ gateways: ["gw"] }, req, "ns")).toBe(false);
    expect(matchesRequest({ gateways: ["mesh"] }, req, "ns")).toBe(true);
    expect(matchesRequest({ gateways: ["gw"] }, sampleRequest({ gateway: "ns/gw" }), "ns")).toBe(true);
    expect(matchesRequest({ sourceLabels: { app: "a" } }, req, "ns")).toBe(false);
    expect(
      matchesRequest({ sourceLabels: { app: "a" } }, sampleRequest({ sourceLabels: { app: "a", v: "1" } }), "ns"),
    ).toBe(true);
  });
  it("ignores a port match when the request names no port", () => {
    expect(matchesRequest({ port: 9080 }, req, "ns")).toBe(true);
    expect(matchesRequest({ port: 9080 }, sampleRequest({ port: 80 }), "ns")).toBe(false);
  });
  it("knows a catch-all", () => {
    expect(isCatchAll({})).toBe(true);
    expect(isCatchAll({ match: [{ uri: { prefix: "/" } }] })).toBe(true);
    expect(isCatchAll({ match: [{ uri: { prefix: "/api" } }] })).toBe(false);
  });
});

describe("Envoy's reading of matches", () => {
  it('regex "*" is a presence match; withoutHeaders treats a missing header as empty otherwise', () => {
    expect(matchesString({ regex: "*" }, "x")).toBe(true);
    expect(matchesString({ regex: "*" }, undefined)).toBe(false);
    const none = sampleRequest();
    const withUser = sampleRequest({ headers: { u: "x" } });
    expect(matchesRequest({ withoutHeaders: { u: { regex: "*" } } }, none, "ns")).toBe(true);
    expect(matchesRequest({ withoutHeaders: { u: { regex: "*" } } }, withUser, "ns")).toBe(false);
    expect(matchesRequest({ withoutHeaders: { u: { regex: ".*" } } }, none, "ns")).toBe(false);
    expect(matchesRequest({ withoutHeaders: { u: { exact: "y" } } }, none, "ns")).toBe(true);
  });
  it("an Envoy catch-all route has only a / prefix or .* regex uri", () => {
    expect(isEnvoyCatchAll(undefined)).toBe(true);
    expect(isEnvoyCatchAll({ uri: { prefix: "/" }, port: 80, name: "x" })).toBe(true);
    expect(isEnvoyCatchAll({ uri: { prefix: "/" }, method: { exact: "GET" } })).toBe(false);
    expect(isEnvoyCatchAll({ headers: { u: {} } })).toBe(false);
  });
});

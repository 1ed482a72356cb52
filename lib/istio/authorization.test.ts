import { describe, expect, it } from "vitest";
import { objects } from "../../tests/unit/yaml-objects";
import { evaluateAuthorization, isDenyAll, matchesIp, matchesValue } from "./authorization";

const ap = (name: string, ns: string, spec: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec: ${spec}
---
`;
const workload = { namespace: "shop", labels: { app: "httpbin" } };
const sleep = { principal: "cluster.local/ns/shop/sa/sleep", method: "GET", path: "/get" };

describe("authorization", () => {
  it("allows when no policy applies", () => {
    expect(evaluateAuthorization([], workload, sleep).allowed).toBe(true);
  });
  it("denies everything with an empty spec", () => {
    const list = objects(ap("deny-all", "shop", "{}"));
    expect(isDenyAll(list[0])).toBe(true);
    expect(evaluateAuthorization(list, workload, sleep).allowed).toBe(false);
  });
  it("allows what an ALLOW rule matches, denies the rest", () => {
    const list = objects(
      ap("deny-all", "shop", "{}") +
        ap(
          "allow-sleep",
          "shop",
          '{ selector: { matchLabels: { app: httpbin } }, action: ALLOW, rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/sleep"] } }], to: [{ operation: { methods: [GET], paths: ["/get*"] } }] }] }',
        ),
    );
    expect(evaluateAuthorization(list, workload, sleep).allowed).toBe(true);
    expect(evaluateAuthorization(list, workload, { ...sleep, method: "POST" }).allowed).toBe(false);
    expect(evaluateAuthorization(list, workload, { ...sleep, principal: "cluster.local/ns/other/sa/x" }).allowed).toBe(
      false,
    );
    expect(evaluateAuthorization(list, { namespace: "shop", labels: { app: "other" } }, sleep).allowed).toBe(false);
  });
  it("applies DENY before ALLOW", () => {
    const list = objects(
      ap("allow-all", "shop", "{ rules: [{}] }") +
        ap("deny-post", "shop", "{ action: DENY, rules: [{ to: [{ operation: { methods: [POST] } }] }] }"),
    );
    expect(evaluateAuthorization(list, workload, sleep).allowed).toBe(true);
    expect(evaluateAuthorization(list, workload, { ...sleep, method: "POST" }).allowed).toBe(false);
  });
  it("applies root-namespace policies mesh-wide", () => {
    const list = objects(ap("mesh-deny", "istio-system", "{}"));
    expect(evaluateAuthorization(list, workload, sleep).allowed).toBe(false);
    expect(evaluateAuthorization(list, workload, sleep, "other-root").allowed).toBe(true);
  });
  it("matches namespaces, requestPrincipals and when conditions", () => {
    const list = objects(
      ap(
        "jwt",
        "shop",
        '{ rules: [{ from: [{ source: { namespaces: [shop], requestPrincipals: ["*"] } }], when: [{ key: "request.auth.claims[group]", values: [admins] }] }] }',
      ),
    );
    expect(
      evaluateAuthorization(list, workload, { ...sleep, requestPrincipal: "iss/sub", claims: { group: "admins" } })
        .allowed,
    ).toBe(true);
    expect(
      evaluateAuthorization(list, workload, { ...sleep, requestPrincipal: "iss/sub", claims: { group: "users" } })
        .allowed,
    ).toBe(false);
    expect(evaluateAuthorization(list, workload, sleep).allowed).toBe(false);
  });
  it("treats DENY with an empty rule as deny-all", () => {
    expect(isDenyAll(objects(ap("d", "shop", "{ action: DENY, rules: [{}] }"))[0])).toBe(true);
    expect(isDenyAll(objects(ap("d", "shop", "{ action: ALLOW, rules: [{}] }"))[0])).toBe(false);
  });
  it("matches Istio's string forms", () => {
    expect(matchesValue("*", "x")).toBe(true);
    expect(matchesValue("/api*", "/api/v1")).toBe(true);
    expect(matchesValue("*.example.com", "a.example.com")).toBe(true);
    expect(matchesValue("/a", "/ab")).toBe(false);
  });
  it("matches from.source.serviceAccounts as ns/sa, a bare name in the policy's namespace (issue #14)", () => {
    const allowSa = (sas: string) =>
      objects(ap("allow-sa", "shop", `{ rules: [{ from: [{ source: { serviceAccounts: ${sas} } }] }] }`));
    const other = { ...sleep, principal: "cluster.local/ns/other/sa/x" };
    for (const sas of ["[shop/sleep]", "[sleep]"]) {
      expect(evaluateAuthorization(allowSa(sas), workload, sleep).allowed, sas).toBe(true);
      expect(evaluateAuthorization(allowSa(sas), workload, other).allowed, sas).toBe(false);
    }
    // a bare name is the policy's namespace, not the caller's
    expect(
      evaluateAuthorization(allowSa("[x]"), workload, { ...sleep, principal: "cluster.local/ns/other/sa/x" }).allowed,
    ).toBe(false);
    expect(evaluateAuthorization(allowSa("[shop/sleep]"), workload, {}).allowed).toBe(false);
    const denyNot = objects(
      ap("deny-others", "shop", "{ action: DENY, rules: [{ from: [{ source: { notServiceAccounts: [sleep] } }] }] }"),
    );
    expect(evaluateAuthorization(denyNot, workload, sleep).allowed).toBe(true);
    expect(evaluateAuthorization(denyNot, workload, other).allowed).toBe(false);
  });
  it("knows the condition key source.serviceAccount (issue #14)", () => {
    const list = (v: string) =>
      objects(ap("allow-sa", "shop", `{ rules: [{ when: [{ key: source.serviceAccount, values: [${v}] }] }] }`));
    expect(evaluateAuthorization(list("shop/sleep"), workload, sleep).allowed).toBe(true);
    expect(evaluateAuthorization(list("sleep"), workload, sleep).allowed).toBe(true);
    expect(evaluateAuthorization(list("shop/other"), workload, sleep).allowed).toBe(false);
  });
  it("names the policy and the rule or field that decided (issue #14)", () => {
    const list = objects(
      ap("deny-all", "shop", "{}") +
        ap(
          "allow-sleep",
          "shop",
          '{ rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/sleep"] } }], to: [{ operation: { methods: [GET] } }] }] }',
        ) +
        ap("deny-post", "shop", '{ action: DENY, rules: [{ to: [{ operation: { methods: ["DELETE"] } }] }] }'),
    );
    expect(evaluateAuthorization(list, workload, sleep).reason).toMatch(
      /^allowed by AuthorizationPolicy shop\/allow-sleep spec\.rules\[0\] \(from principals/,
    );
    expect(evaluateAuthorization(list, workload, { ...sleep, method: "DELETE" }).reason).toMatch(
      /^denied by DENY policy AuthorizationPolicy shop\/deny-post spec\.rules\[0\]/,
    );
    const post = evaluateAuthorization(list, workload, { ...sleep, method: "POST" }).reason;
    expect(post).toContain(
      'AuthorizationPolicy shop/allow-sleep spec.rules[0].to[0].operation.methods ["GET"] does not match POST',
    );
    expect(post).toContain("AuthorizationPolicy shop/deny-all has no rules (allows nothing)");
    const stranger = evaluateAuthorization(list, workload, { principal: "cluster.local/ns/a/sa/b" }).reason;
    expect(stranger).toContain("spec.rules[0].from[0].source.principals");
    expect(stranger).toContain("does not match cluster.local/ns/a/sa/b");
  });
  it("matches ipBlocks and remoteIpBlocks as CIDR blocks", () => {
    expect(matchesIp("10.0.0.0/8", "10.1.2.3")).toBe(true);
    expect(matchesIp("10.0.0.0/8", "11.1.2.3")).toBe(false);
    expect(matchesIp("192.168.1.7", "192.168.1.7")).toBe(true);
    const list = objects(
      ap("allow-net", "shop", '{ rules: [{ from: [{ source: { remoteIpBlocks: ["203.0.113.0/24"] } }] }] }'),
    );
    expect(evaluateAuthorization(list, workload, { ip: "203.0.113.9" }).allowed).toBe(true);
    expect(evaluateAuthorization(list, workload, { ip: "198.51.100.1" }).allowed).toBe(false);
  });
  it("ipBlocks read the peer IP, remoteIpBlocks the original client IP", () => {
    const remote = objects(
      ap("allow", "shop", '{ rules: [{ from: [{ source: { remoteIpBlocks: ["203.0.113.0/24"] } }] }] }'),
    );
    const peer = objects(ap("allow", "shop", '{ rules: [{ from: [{ source: { ipBlocks: ["203.0.113.0/24"] } }] }] }'));
    const viaLb = { ip: "10.0.0.5", remoteIp: "203.0.113.9" };
    expect(evaluateAuthorization(remote, workload, viaLb).allowed).toBe(true);
    expect(evaluateAuthorization(peer, workload, viaLb).allowed).toBe(false);
    const when = objects(ap("allow", "shop", "{ rules: [{ when: [{ key: remote.ip, values: [203.0.113.0/24] }] }] }"));
    expect(evaluateAuthorization(when, workload, viaLb).allowed).toBe(true);
    expect(evaluateAuthorization(when, workload, { ip: "10.0.0.5", remoteIp: "198.51.100.1" }).allowed).toBe(false);
  });
  it("names the value a when condition saw", () => {
    const list = objects(
      ap("allow", "shop", '{ rules: [{ when: [{ key: "request.auth.claims[group]", values: [group1] }] }] }'),
    );
    expect(evaluateAuthorization(list, workload, { claims: { groups: ["group1"] } }).reason).toContain(
      'AuthorizationPolicy shop/allow spec.rules[0].when[0] request.auth.claims[group] values ["group1"] does not hold: request.auth.claims[group] is absent from the request',
    );
  });
});

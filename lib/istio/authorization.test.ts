import { describe, expect, it } from "vitest";
import { objects } from "../../tests/unit/yaml-objects";
import { evaluateAuthorization, isDenyAll, matchesValue } from "./authorization";

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
});

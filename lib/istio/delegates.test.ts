import { describe, expect, it } from "vitest";
import { objects } from "../../tests/unit/yaml-objects";
import { expandHttpRules } from "./delegates";

const root = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: root, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - match: [{ uri: { prefix: /api } }]
    delegate: { name: api }
    timeout: 5s
  - route: [{ destination: { host: reviews, subset: v1 } }]
---
`;
const delegate = (body: string, name = "api", ns = "shop") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${ns} }
spec:
${body}
---
`;

describe("delegate merging", () => {
  it("replaces a root rule by the delegate's rules, merging matches and filling unset fields", () => {
    const all = objects(
      root +
        delegate(`  http:
  - match: [{ uri: { prefix: /api/v2 }, headers: { x: { exact: "1" } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
    timeout: 1s
  - route: [{ destination: { host: reviews, subset: v1 } }]`),
    );
    const { rules, problems } = expandHttpRules(all[0], all);
    expect(problems).toEqual([]);
    expect(rules.map((r) => `${r.vs.metadata.name} ${r.path}`)).toEqual([
      "api spec.http[0]",
      "api spec.http[1]",
      "root spec.http[1]",
    ]);
    expect(rules[0].rule.timeout).toBe("1s");
    expect(rules[1].rule.timeout).toBe("5s");
    expect(rules[0].rule.match).toEqual([{ uri: { prefix: "/api/v2" }, headers: { x: { exact: "1" } } }]);
    expect(rules[1].rule.match).toEqual([{ uri: { prefix: "/api" } }]);
    expect(rules[0].via).toBe("VirtualService shop/root spec.http[0]");
  });
  it("drops a delegate rule whose match conflicts with the root's", () => {
    const all = objects(
      root +
        delegate(`  http:\n  - match: [{ uri: { prefix: /web } }]\n    route: [{ destination: { host: reviews } }]`),
    );
    const { rules, problems } = expandHttpRules(all[0], all);
    expect(rules.map((r) => r.vs.metadata.name)).toEqual(["root"]);
    expect(problems[0].message).toMatch(/conflicts/);
  });
  it("silently drops the rule when the delegate is missing, has hosts, or is not exported", () => {
    for (const d of [
      "",
      delegate("  hosts: [x]\n  http: []"),
      delegate('  exportTo: ["other"]\n  http: [{ route: [{ destination: { host: reviews } }] }]'),
    ]) {
      const all = objects(root + d);
      const { rules, problems } = expandHttpRules(all[0], all);
      expect(rules.map((r) => r.vs.metadata.name)).toEqual(["root"]);
      expect(problems).toHaveLength(1);
    }
  });
  it("looks the delegate up in the root's namespace unless one is given", () => {
    const all = objects(
      root.replace("delegate: { name: api }", "delegate: { name: api, namespace: team }") +
        delegate("  http: [{ route: [{ destination: { host: reviews } }] }]", "api", "team"),
    );
    expect(expandHttpRules(all[0], all).rules[0].vs.metadata.namespace).toBe("team");
  });
  it("rejects a root rule with both delegate and route, and delegates with gateways or nested delegates", () => {
    const bad = root.replace(
      "delegate: { name: api }",
      "delegate: { name: api }\n    route: [{ destination: { host: reviews } }]",
    );
    const all = objects(bad + delegate("  http: []"));
    expect(expandHttpRules(all[0], all).problems[0].message).toMatch(/both/);
    // A delegate with gateways is refused by Istio's validation as a whole: the root's rule is dropped.
    const all2 = objects(root + delegate("  gateways: [gw]\n  http: [{ delegate: { name: x } }]"));
    const messages = expandHttpRules(all2[0], all2).problems.map((p) => p.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/which Istio rejects \(spec\.gateways is set on a delegate VirtualService/);
    const all3 = objects(root + delegate("  http: [{ delegate: { name: x } }]"));
    expect(expandHttpRules(all3[0], all3).problems.map((p) => p.message)).toEqual([
      "a delegate cannot delegate again (one level only): the rule is dropped",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { matchesLabelSelector, proxyRevisionOf } from "./injector-webhooks";

describe("matchesLabelSelector", () => {
  it("reads matchLabels and every matchExpressions operator; an empty selector selects all", () => {
    expect(matchesLabelSelector(undefined, {})).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { a: "1" } }, { a: "1", b: "2" })).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { a: "1" } }, { a: "2" })).toBe(false);
    const expr = (operator: string, values?: string[]) => ({ matchExpressions: [{ key: "a", operator, values }] });
    expect(matchesLabelSelector(expr("In", ["1", "2"]), { a: "2" })).toBe(true);
    expect(matchesLabelSelector(expr("In", ["1"]), {})).toBe(false);
    expect(matchesLabelSelector(expr("NotIn", ["false"]), {})).toBe(true);
    expect(matchesLabelSelector(expr("NotIn", ["false"]), { a: "false" })).toBe(false);
    expect(matchesLabelSelector(expr("Exists"), { a: "" })).toBe(true);
    expect(matchesLabelSelector(expr("DoesNotExist"), { a: "x" })).toBe(false);
    expect(matchesLabelSelector(expr("Bogus"), { a: "x" })).toBe(false);
  });
});

describe("proxyRevisionOf", () => {
  it("reads sidecar.istio.io/status, then the istio.io/rev label", () => {
    expect(proxyRevisionOf({ "sidecar.istio.io/status": '{"revision":"canary"}' }, { "istio.io/rev": "x" })).toBe(
      "canary",
    );
    expect(proxyRevisionOf({ "sidecar.istio.io/status": "not json" }, { "istio.io/rev": "x" })).toBe("x");
    expect(proxyRevisionOf({}, {})).toBeUndefined();
  });
});

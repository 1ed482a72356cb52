import { describe, expect, it } from "vitest";
import { grade } from "../test-harness";
import { target, world } from "./test-world";

// Root helloworld delegates its second rule to helloworld-leaf, whose first rule every check below
// fails on (no retries, timeout, fault, cors or headers; a mirror to an undefined subset; a catch-all
// followed by another rule).
const delegated = world(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: helloworld }
spec:
  hosts: [helloworld]
  http:
  - match: [{ uri: { prefix: /static } }]
    route: [{ destination: { host: helloworld, subset: v2 } }]
  - delegate: { name: helloworld-leaf }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: helloworld-leaf }
spec:
  http:
  - route: [{ destination: { host: helloworld, subset: v1 } }]
    mirror: { host: helloworld, subset: v3 }
  - match: [{ uri: { prefix: /late } }]
    route: [{ destination: { host: helloworld, subset: v2 } }]
---
`);

/** The delegate's first rule, with a field under it, as every VirtualService check writes it. */
const at = (field?: string) =>
  `VirtualService shop/helloworld-leaf spec.http[0]${field ? `.${field}` : ""} (delegated from VirtualService shop/helloworld spec.http[1])`;

describe("rule locations of delegated rules", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["virtualservice.routes", { expect: { v2: 100 } }, at("route")],
    ["virtualservice.mirror", { subset: "v2" }, at("mirror.subset")],
    ["virtualservice.retries", { attempts: 3 }, at("retries")],
    ["virtualservice.timeout", { timeout: "5s" }, at("timeout")],
    ["virtualservice.fault", { delay: { fixedDelay: "1s" } }, at("fault")],
    ["virtualservice.cors", { allowOrigins: ["https://example.com"] }, at("corsPolicy")],
    ["virtualservice.headers", { requestHeaders: { set: { x: "y" } } }, at()],
    ["virtualservice.subsets-defined", {}, at("mirror")],
    ["virtualservice.catch-all-last", {}, at()],
  ];
  it.each(cases)("%s names the delegate's rule, then where it was delegated from", async (use, params, location) => {
    const r = await grade(use, { ...target, ...params }, delegated);
    expect(r.status, r.message).toBe("fail");
    expect(r.message).toContain(location);
    // A field path never follows the parenthesis: no `(delegated from …).route`.
    expect(r.message).not.toMatch(/\)\s*\.\w/);
  });
});

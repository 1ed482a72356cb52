import { describe, expect, it } from "vitest";
import { explainHost, hostCovers, hostsOverlap, mostSpecificHost, parseServiceHost, resolveHost } from "./hosts";

describe("resolveHost", () => {
  it("expands a name without a dot in the object's namespace", () => {
    expect(resolveHost("helloworld", "shop")).toBe("helloworld.shop.svc.cluster.local");
  });
  it("takes a name with a dot as written (never expanded)", () => {
    expect(resolveHost("helloworld.test", "shop")).toBe("helloworld.test");
    expect(resolveHost("helloworld.shop", "shop")).toBe("helloworld.shop");
    expect(resolveHost("helloworld.shop.svc", "shop")).toBe("helloworld.shop.svc");
    expect(resolveHost("helloworld.shop.svc.cluster.local", "other")).toBe("helloworld.shop.svc.cluster.local");
  });
  it("keeps * and IP addresses", () => {
    expect(resolveHost("*", "shop")).toBe("*");
    expect(resolveHost("10.0.0.1", "shop")).toBe("10.0.0.1");
    expect(resolveHost("10.0.0.0/24", "shop")).toBe("10.0.0.0/24");
    expect(resolveHost("::1", "shop")).toBe("::1");
    expect(resolveHost("*.example.com", "shop")).toBe("*.example.com");
  });
  it("ignores case and surrounding space", () => {
    expect(resolveHost(" HelloWorld ", "shop")).toBe("helloworld.shop.svc.cluster.local");
  });
});

describe("host matching", () => {
  it("lets * and suffix wildcards cover names", () => {
    expect(hostCovers("*", "a.b.c")).toBe(true);
    expect(hostCovers("*.example.com", "a.example.com")).toBe(true);
    expect(hostCovers("*.example.com", "a.b.example.com")).toBe(true);
    expect(hostCovers("*.example.com", "example.com")).toBe(false);
    expect(hostCovers("*.example.com", "*.b.example.com")).toBe(true);
    expect(hostCovers("a.example.com", "*.example.com")).toBe(false);
    expect(hostsOverlap("a.example.com", "*.example.com")).toBe(true);
  });
  it("prefers an exact host, then the longest wildcard", () => {
    const hosts = ["*", "*.local", "*.svc.cluster.local", "a.ns.svc.cluster.local"];
    expect(mostSpecificHost("a.ns.svc.cluster.local", hosts)).toBe("a.ns.svc.cluster.local");
    expect(mostSpecificHost("b.ns.svc.cluster.local", hosts)).toBe("*.svc.cluster.local");
    expect(mostSpecificHost("example.com", hosts)).toBe("*");
    expect(mostSpecificHost("example.com", ["*.local"])).toBeUndefined();
  });
});

describe("service hosts", () => {
  it("parses <name>.<ns>.svc.cluster.local only", () => {
    expect(parseServiceHost("reviews.bookinfo.svc.cluster.local")).toEqual({ name: "reviews", namespace: "bookinfo" });
    expect(parseServiceHost("reviews.bookinfo")).toBeUndefined();
    expect(parseServiceHost("httpbin.org")).toBeUndefined();
  });
  it("explains what a written host means", () => {
    expect(explainHost("helloworld", "helloworld.shop.svc.cluster.local")).toContain(
      "helloworld.shop.svc.cluster.local",
    );
    expect(explainHost("helloworld.test", "helloworld.test")).toContain("not expanded");
    expect(explainHost("helloworld.default.svc.cluster.local", "helloworld.default.svc.cluster.local")).toContain(
      "namespace default",
    );
  });
});

import { describe, expect, it } from "vitest";
import { objects } from "../../tests/unit/yaml-objects";
import { gatewaysOf, isDelegate, resolveGatewayRef, selectVirtualServices } from "./virtual-service";

const HOST = "reviews.shop.svc.cluster.local";

function vs(name: string, ns: string, extra = "", created?: string): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ""} }
spec:
  hosts: [${ns === "shop" ? "reviews" : HOST}]
${extra}
---
`;
}

const names = (list: { metadata: { namespace?: string; name: string } }[]) =>
  list.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

describe("gateway references", () => {
  it("resolves gw to the VirtualService's namespace and keeps ns/gw and mesh", () => {
    expect(resolveGatewayRef("gw", "shop")).toBe("shop/gw");
    expect(resolveGatewayRef("istio-system/gw", "shop")).toBe("istio-system/gw");
    expect(resolveGatewayRef("./gw", "shop")).toBe("shop/gw");
    expect(resolveGatewayRef("mesh", "shop")).toBe("mesh");
    expect(resolveGatewayRef("gw.istio-system.svc.cluster.local", "shop")).toBe("istio-system/gw");
  });
  it("treats no gateways as mesh only", () => {
    const [none, some] = objects(vs("a", "shop") + vs("b", "shop", "  gateways: [gw, mesh]"));
    expect(gatewaysOf(none)).toEqual(["mesh"]);
    expect(gatewaysOf(some)).toEqual(["shop/gw", "mesh"]);
  });
  it("knows a delegate has no hosts", () => {
    const [d] = objects(
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: d, namespace: shop }\nspec: { http: [] }",
    );
    expect(isDelegate(d)).toBe(true);
  });
});

describe("the VirtualService that wins for a host", () => {
  it("is the oldest by creationTimestamp; the others are ignored", () => {
    const list = objects(vs("b", "shop", "", "2024-01-01T00:00:00Z") + vs("a", "shop", "", "2024-01-02T00:00:00Z"));
    const s = selectVirtualServices(list, HOST, "shop");
    expect(names(s.winner ? [s.winner] : [])).toEqual(["shop/b"]);
    expect(names(s.ignored)).toEqual(["shop/a"]);
  });
  it("breaks ties by name, then namespace", () => {
    const t = "2024-01-01T00:00:00Z";
    const list = objects(vs("b", "shop", "", t) + vs("a", "shop", "", t) + vs("a", "other", "", t));
    expect(names(selectVirtualServices(list, HOST, "shop").candidates)).toEqual(["other/a", "shop/a", "shop/b"]);
  });
  it("prefers private to the client namespace, then exported to it, then public", () => {
    const list = objects(
      vs("public", "other", "", "2024-01-01T00:00:00Z") +
        vs("exported", "third", "  exportTo: [shop]", "2024-01-02T00:00:00Z") +
        vs("private", "shop", '  exportTo: ["."]', "2024-01-03T00:00:00Z"),
    );
    expect(names(selectVirtualServices(list, HOST, "shop").candidates)).toEqual([
      "shop/private",
      "third/exported",
      "other/public",
    ]);
    expect(names(selectVirtualServices(list, HOST, "elsewhere").candidates)).toEqual(["other/public"]);
  });
  it("skips VirtualServices not bound to mesh, and delegates", () => {
    const list = objects(vs("gw-only", "shop", "  gateways: [gw]") + vs("both", "shop", "  gateways: [gw, mesh]"));
    expect(names(selectVirtualServices(list, HOST, "shop").candidates)).toEqual(["shop/both"]);
  });
  it("appends every candidate for a gateway (no winner)", () => {
    const list = objects(vs("a", "shop", "  gateways: [gw]") + vs("b", "shop", "  gateways: [shop/gw]"));
    const s = selectVirtualServices(list, HOST, "shop", "shop/gw");
    expect(s.winner).toBeUndefined();
    expect(names(s.candidates)).toEqual(["shop/a", "shop/b"]);
  });
  it("matches wildcard VirtualService hosts", () => {
    const list = objects(
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: w, namespace: shop }\nspec: { hosts: ["*.shop.svc.cluster.local"] }',
    );
    expect(selectVirtualServices(list, HOST, "shop").winner?.metadata.name).toBe("w");
  });
});

describe("exportTo", () => {
  it("defaults to everyone; . is the own namespace; ~ is nobody", async () => {
    const { isExportedTo, isPrivate } = await import("./export-to");
    const [open, dot, named, none] = objects(
      vs("open", "shop") +
        vs("dot", "shop", '  exportTo: ["."]') +
        vs("named", "shop", "  exportTo: [client]") +
        vs("none", "shop", '  exportTo: ["~"]'),
    );
    expect([open, dot, named, none].map((o) => isExportedTo(o, "shop"))).toEqual([true, true, false, false]);
    expect([open, dot, named, none].map((o) => isExportedTo(o, "client"))).toEqual([true, false, true, false]);
    expect([open, dot, named].map(isPrivate)).toEqual([false, true, false]);
  });
});

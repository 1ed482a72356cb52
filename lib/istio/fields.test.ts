import { describe, expect, it } from "vitest";
import { deepEqual, num, parsePath, readPath, show } from "./fields";

describe("field reading", () => {
  it("parses paths with indexes and quoted keys", () => {
    expect(parsePath("spec.http[0].route")).toEqual(["spec", "http", 0, "route"]);
    expect(parsePath("metadata.labels['app.kubernetes.io/name']")).toEqual([
      "metadata",
      "labels",
      "app.kubernetes.io/name",
    ]);
    expect(parsePath("")).toBeUndefined();
    expect(parsePath("a[")).toBeUndefined();
  });
  it("reads paths without throwing", () => {
    const o = { spec: { http: [{ timeout: "5s" }] } };
    expect(readPath(o, "spec.http[0].timeout")).toBe("5s");
    expect(readPath(o, "spec.http[3].timeout")).toBeUndefined();
    expect(readPath(null, "a.b")).toBeUndefined();
    expect(readPath("text", "length")).toBeUndefined();
  });
  it("compares and shows values", () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(num("50.0")).toBe(50);
    expect(num("x")).toBeUndefined();
    expect(show(undefined)).toBe("unset");
    expect(show("v1")).toBe('"v1"');
  });
});

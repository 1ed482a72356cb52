import { describe, expect, it } from "vitest";
import { ZCheckRef } from "./schema";

describe("a check's weight", () => {
  it("defaults to 1 and keeps a positive number", () => {
    expect(ZCheckRef.parse({ use: "virtualservice.mirror" }).weight).toBe(1);
    expect(ZCheckRef.parse({ use: "virtualservice.mirror", weight: 2.5 }).weight).toBe(2.5);
  });

  it("refuses zero, a negative number, infinity and text", () => {
    for (const weight of [0, -1, Number.POSITIVE_INFINITY, "2"]) {
      expect(ZCheckRef.safeParse({ use: "virtualservice.mirror", weight }).success, String(weight)).toBe(false);
    }
  });
});

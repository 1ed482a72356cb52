import { describe, expect, it } from "vitest";
import { formatLabels, matchesLabels } from "./labels";

describe("labels", () => {
  it("matches when every selector pair is present", () => {
    expect(matchesLabels({ app: "a" }, { app: "a", version: "v1" })).toBe(true);
    expect(matchesLabels({ app: "a", version: "v2" }, { app: "a", version: "v1" })).toBe(false);
    expect(matchesLabels({}, {})).toBe(true);
  });
  it("formats for messages", () => {
    expect(formatLabels({ app: "a", version: "v1" })).toBe("app=a,version=v1");
    expect(formatLabels({})).toBe("(none)");
  });
});

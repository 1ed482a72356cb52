import { describe, expect, it } from "vitest";
import { parseClientMessage } from "./parse-client-message";

describe("parseClientMessage", () => {
  it("accepts the three messages and clamps sizes", () => {
    expect(parseClientMessage('{"type":"input","data":"ls\\r"}')).toEqual({ type: "input", data: "ls\r" });
    expect(parseClientMessage('{"type":"resize","cols":80.4,"rows":9999}')).toEqual({
      type: "resize",
      cols: 80,
      rows: 200,
    });
    expect(parseClientMessage('{"type":"leave"}')).toEqual({ type: "leave" });
  });

  it("ignores junk", () => {
    for (const frame of [
      "",
      "nope",
      "null",
      "[]",
      '{"type":"input"}',
      '{"type":"resize","cols":"1","rows":2}',
      '{"type":"exec"}',
    ]) {
      expect(parseClientMessage(frame)).toBeUndefined();
    }
  });
});

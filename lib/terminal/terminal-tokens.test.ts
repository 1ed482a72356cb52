import { afterEach, describe, expect, it, vi } from "vitest";
import { issueTerminalToken, verifyTerminalToken } from "./terminal-tokens";

afterEach(() => {
  vi.useRealTimers();
});

describe("terminal tokens", () => {
  it("are 32 random bytes in base64url, bound to one scenario", () => {
    const token = issueTerminalToken("tokens-a");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issueTerminalToken("tokens-a")).not.toBe(token);
    expect(verifyTerminalToken("tokens-a", token)).toBe(true);
    expect(verifyTerminalToken("tokens-b", token)).toBe(false);
    expect(verifyTerminalToken("tokens-a", "")).toBe(false);
    expect(verifyTerminalToken("tokens-a", token.slice(1))).toBe(false);
  });

  it("expire after 12 hours", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = issueTerminalToken("tokens-expiry");
    vi.advanceTimersByTime(12 * 60 * 60 * 1000 - 1000);
    expect(verifyTerminalToken("tokens-expiry", token)).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(verifyTerminalToken("tokens-expiry", token)).toBe(false);
  });

  it("keep only the most recent ones of a scenario", () => {
    const first = issueTerminalToken("tokens-many");
    for (let i = 0; i < 40; i++) issueTerminalToken("tokens-many");
    expect(verifyTerminalToken("tokens-many", first)).toBe(false);
  });

  it("are only issued for scenario ids", () => {
    for (const id of ["", "../etc", "A", "a/b", "-a"])
      expect(() => issueTerminalToken(id)).toThrow(/not a scenario id/);
  });

  it("live on globalThis, so another copy of the module sees them", async () => {
    const token = issueTerminalToken("tokens-shared");
    vi.resetModules();
    const copy = await import("./terminal-tokens");
    expect(copy.verifyTerminalToken).not.toBe(verifyTerminalToken);
    expect(copy.verifyTerminalToken("tokens-shared", token)).toBe(true);
  });
});

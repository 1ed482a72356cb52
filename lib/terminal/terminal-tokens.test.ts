import { afterEach, describe, expect, it, vi } from "vitest";
import {
  grantTerminal,
  issueTerminalToken,
  recordTerminalTokenUse,
  revokeTerminalTokens,
  verifyTerminalToken,
} from "./terminal-tokens";

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

  it("expire 12 hours after they were issued, unless used", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const used = issueTerminalToken("tokens-expiry");
    const unused = issueTerminalToken("tokens-expiry");
    vi.advanceTimersByTime(12 * 60 * 60 * 1000 - 1000);
    expect(verifyTerminalToken("tokens-expiry", used)).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(verifyTerminalToken("tokens-expiry", unused)).toBe(false);
    expect(verifyTerminalToken("tokens-expiry", used)).toBe(true);
  });

  it("keep only the 32 most recent unused ones of a scenario", () => {
    const first = issueTerminalToken("tokens-many");
    const tokens = Array.from({ length: 40 }, () => issueTerminalToken("tokens-many"));
    expect(verifyTerminalToken("tokens-many", first)).toBe(false);
    expect(tokens.filter((t) => verifyTerminalToken("tokens-many", t))).toEqual(tokens.slice(-32));
  });

  it("keep one that opened the terminal, however many pages render after it", () => {
    const first = issueTerminalToken("tokens-used");
    expect(verifyTerminalToken("tokens-used", first)).toBe(true); // the page connects
    // reloads in another tab, prefetches: each render issues one, most never connect
    for (let i = 0; i < 40; i++) issueTerminalToken("tokens-used");
    expect(verifyTerminalToken("tokens-used", first)).toBe(true); // the page reconnects
    // also when the other renders connect too
    for (let i = 0; i < 40; i++) verifyTerminalToken("tokens-used", issueTerminalToken("tokens-used"));
    expect(verifyTerminalToken("tokens-used", first)).toBe(true);
  });

  it("stay valid 12 hours after their last use", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = issueTerminalToken("tokens-sliding");
    vi.advanceTimersByTime(11 * 60 * 60 * 1000);
    expect(verifyTerminalToken("tokens-sliding", token)).toBe(true);
    vi.advanceTimersByTime(10 * 60 * 60 * 1000);
    recordTerminalTokenUse("tokens-sliding", token); // its socket closed: the page may reconnect
    vi.advanceTimersByTime(12 * 60 * 60 * 1000 - 1000);
    expect(verifyTerminalToken("tokens-sliding", token)).toBe(true);
    vi.advanceTimersByTime(12 * 60 * 60 * 1000 + 1000);
    expect(verifyTerminalToken("tokens-sliding", token)).toBe(false);
    // a use of an unknown or expired token changes nothing
    recordTerminalTokenUse("tokens-sliding", token);
    expect(verifyTerminalToken("tokens-sliding", token)).toBe(false);
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

describe("an exam's terminal tokens", () => {
  const exam = (id: string) => ({ kind: "exam", id }) as const;

  it("open that sitting's terminal only, never a scenario's of the same name, and carry its deadline", () => {
    const endsAt = new Date(Date.now() + 60_000);
    const token = issueTerminalToken(exam("sittinga1"), { endsAt });
    expect(grantTerminal(exam("sittinga1"), token)).toEqual({ target: exam("sittinga1"), endsAt: endsAt.getTime() });
    expect(verifyTerminalToken(exam("sittingb2"), token)).toBe(false);
    expect(verifyTerminalToken("sittinga1", token)).toBe(false);
    const scenarioToken = issueTerminalToken("sittinga1");
    expect(verifyTerminalToken(exam("sittinga1"), scenarioToken)).toBe(false);
  });

  it("stop at the exam's deadline, even one that opened the terminal", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = issueTerminalToken(exam("sittingdeadline"), { endsAt: new Date(Date.now() + 120 * 60_000) });
    expect(verifyTerminalToken(exam("sittingdeadline"), token)).toBe(true);
    vi.advanceTimersByTime(120 * 60_000 - 1000);
    expect(verifyTerminalToken(exam("sittingdeadline"), token)).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(verifyTerminalToken(exam("sittingdeadline"), token)).toBe(false);
  });

  it("are revoked when the exam ends", () => {
    const token = issueTerminalToken(exam("sittingrevoked"), { endsAt: new Date(Date.now() + 60_000) });
    expect(verifyTerminalToken(exam("sittingrevoked"), token)).toBe(true);
    revokeTerminalTokens(exam("sittingrevoked"));
    expect(verifyTerminalToken(exam("sittingrevoked"), token)).toBe(false);
  });

  it("are only issued for sitting ids", () => {
    for (const id of ["", "../etc", "A1", "a-b", "exam:x"])
      expect(() => issueTerminalToken(exam(id))).toThrow(/not an exam sitting's id/);
  });
});

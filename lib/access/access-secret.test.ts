import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureAccessSecret, verifyAccessSecret } from "./access-secret";
import { isAccessSessionValid, readSessionCookie, sessionCookie, startAccessSession } from "./access-sessions";

const dir = mkdtempSync(path.join(tmpdir(), "ica-secret-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the access secret", () => {
  const file = path.join(dir, "sub", "access-secret.json");

  it("is made once (32 bytes, base64url), kept only as a hash, mode 0600", () => {
    const secret = ensureAccessSecret(file);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ensureAccessSecret(file)).toBeUndefined();
    const stored = readFileSync(file, "utf8");
    expect(stored).not.toContain(secret);
    expect(JSON.parse(stored)).toMatchObject({ algorithm: "sha256" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(verifyAccessSecret(secret as string, file)).toBe(true);
    expect(verifyAccessSecret(`${secret}x`, file)).toBe(false);
    expect(verifyAccessSecret("", file)).toBe(false);
  });

  it("verifies nothing when no secret was made", () => {
    expect(verifyAccessSecret("anything", path.join(dir, "none.json"))).toBe(false);
  });
});

describe("login sessions", () => {
  it("are random cookie values the server knows until they expire", () => {
    const value = startAccessSession(1000);
    expect(value).not.toBe(startAccessSession(1000));
    expect(isAccessSessionValid(value, 2000)).toBe(true);
    expect(isAccessSessionValid(value, 1000 + 31 * 24 * 3600 * 1000)).toBe(false);
    expect(isAccessSessionValid("forged", 2000)).toBe(false);
    expect(isAccessSessionValid(undefined)).toBe(false);
  });
  it("travel in an HttpOnly, SameSite=Strict cookie", () => {
    const cookie = sessionCookie("abc", false);
    expect(cookie).toMatch(/^ica_session=abc;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain("Secure");
    expect(sessionCookie("abc", true)).toContain("; Secure");
    expect(readSessionCookie("a=1; ica_session=xyz; b=2")).toBe("xyz");
    expect(readSessionCookie("a=1")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./same-origin";

const env = { HOST: "127.0.0.1", PORT: "3000" };
const headers = (h: Record<string, string>) => new Headers(h);

describe("isSameOrigin", () => {
  it("accepts a page of this server under a loopback name", () => {
    expect(isSameOrigin(headers({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }), env)).toBe(true);
    expect(isSameOrigin(headers({ host: "localhost:3000", origin: "http://localhost:3000" }), env)).toBe(true);
  });

  it("refuses a DNS-rebound name even when Origin and Host agree", () => {
    expect(isSameOrigin(headers({ host: "rebind.example:3000", origin: "http://rebind.example:3000" }), env)).toBe(
      false,
    );
  });

  it("accepts a name listed in ICA_ALLOWED_HOSTS", () => {
    const withName = { ...env, ICA_ALLOWED_HOSTS: "ica.example.org" };
    expect(isSameOrigin(headers({ host: "ica.example.org", origin: "https://ica.example.org" }), withName)).toBe(true);
  });

  it("refuses another origin, and a request without Origin", () => {
    expect(isSameOrigin(headers({ host: "127.0.0.1:3000", origin: "http://evil.example" }), env)).toBe(false);
    expect(isSameOrigin(headers({ host: "127.0.0.1:3000" }), env)).toBe(false);
  });
});

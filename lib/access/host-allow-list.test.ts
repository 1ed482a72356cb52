import { describe, expect, it } from "vitest";
import { isAllowedHost, listAllowedHosts, parseHostName } from "./host-allow-list";

const noInterfaces = () => [];
const loopback = { port: 3000, allowedHosts: listAllowedHosts("127.0.0.1", [], noInterfaces) };

describe("parseHostName", () => {
  it("reads names, IPv4 and bracketed IPv6, with or without a port", () => {
    expect(parseHostName("LocalHost:3000")).toEqual({ hostname: "localhost", port: 3000 });
    expect(parseHostName("[::1]")).toEqual({ hostname: "::1" });
    expect(parseHostName("10.0.0.5:80")).toEqual({ hostname: "10.0.0.5", port: 80 });
  });
  it("refuses what is not a host", () => {
    for (const bad of ["", "::1", "a b", "x:", "x:0", "x:70000", "user@x", "x/y", "[::1]x"]) {
      expect(parseHostName(bad), bad).toBeUndefined();
    }
  });
});

describe("isAllowedHost", () => {
  it("allows loopback names with the server's port or none", () => {
    for (const h of ["localhost", "localhost:3000", "127.0.0.1:3000", "127.1.2.3", "[::1]:3000", "[::1]"]) {
      expect(isAllowedHost(h, loopback), h).toBe(true);
    }
  });
  it("refuses other names, other ports and a missing Host", () => {
    for (const h of ["rebind.example:3000", "localhost:3001", "127.0.0.1.nip.io:3000", "127.0.0.256", "0.0.0.0:3000"]) {
      expect(isAllowedHost(h, loopback), h).toBe(false);
    }
    expect(isAllowedHost(undefined, loopback)).toBe(false);
    expect(isAllowedHost("", loopback)).toBe(false);
  });
  it("allows ICA_ALLOWED_HOSTS names: without a port on the server's port or none, with one on that port", () => {
    const config = { port: 3000, allowedHosts: listAllowedHosts("127.0.0.1", ["ica.example.org", "proxy.lan:8443"]) };
    expect(isAllowedHost("ica.example.org", config)).toBe(true);
    expect(isAllowedHost("ICA.example.org:3000", config)).toBe(true);
    expect(isAllowedHost("ica.example.org:8080", config)).toBe(false);
    expect(isAllowedHost("proxy.lan:8443", config)).toBe(true);
    expect(isAllowedHost("proxy.lan", config)).toBe(false);
    expect(isAllowedHost("proxy.lan:3000", config)).toBe(false);
  });
  it("allows a non-loopback HOST itself, and on a wildcard bind this machine's addresses", () => {
    const own = { port: 3000, allowedHosts: listAllowedHosts("10.1.2.3", [], noInterfaces) };
    expect(isAllowedHost("10.1.2.3:3000", own)).toBe(true);
    expect(isAllowedHost("10.1.2.4:3000", own)).toBe(false);
    const addresses = () => ["127.0.0.1", "::1", "192.168.1.7", "fe80::1"];
    const wildcard = { port: 3000, allowedHosts: listAllowedHosts("0.0.0.0", [], addresses) };
    expect(wildcard.allowedHosts.map((h) => h.hostname)).toEqual(["0.0.0.0", "192.168.1.7", "fe80::1"]);
    expect(isAllowedHost("0.0.0.0:3000", wildcard)).toBe(true);
    expect(isAllowedHost("192.168.1.7:3000", wildcard)).toBe(true);
    expect(isAllowedHost("[fe80::1]:3000", wildcard)).toBe(true);
    expect(isAllowedHost("attacker.example:3000", wildcard)).toBe(false);
    const v6 = { port: 3000, allowedHosts: listAllowedHosts("::", [], noInterfaces) };
    expect(isAllowedHost("[::]:3000", v6)).toBe(true);
  });
});

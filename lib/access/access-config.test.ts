import { describe, expect, it } from "vitest";
import { EnvError, readEnv } from "../env";
import { listAllowedHostOrigins, readAccessConfig } from "./access-config";

describe("readAccessConfig", () => {
  it("needs no login on loopback, by default", () => {
    expect(readAccessConfig({})).toMatchObject({ isLoginRequired: false, isOpenBeyondLoopback: false });
    expect(readAccessConfig({ HOST: "localhost" }).isLoginRequired).toBe(false);
  });
  it("needs a login beyond loopback unless ICA_AUTH=none, and a login on loopback with ICA_AUTH=secret", () => {
    expect(readAccessConfig({ HOST: "0.0.0.0" }).isLoginRequired).toBe(true);
    expect(readAccessConfig({ HOST: "0.0.0.0", ICA_AUTH: "none" })).toMatchObject({
      isLoginRequired: false,
      isOpenBeyondLoopback: true,
    });
    expect(readAccessConfig({ ICA_AUTH: "secret" }).isLoginRequired).toBe(true);
    expect(readAccessConfig({ ICA_AUTH: "none" }).isOpenBeyondLoopback).toBe(false);
  });
  it("gives the origins of pages under the allowed names, for the terminal", () => {
    const config = readAccessConfig({ PORT: "3000", ICA_ALLOWED_HOSTS: "ica.test, proxy.lan:8443" });
    expect(listAllowedHostOrigins(config)).toEqual([
      "http://ica.test:3000",
      "http://ica.test",
      "https://ica.test",
      "http://proxy.lan:8443",
      "https://proxy.lan:8443",
    ]);
  });
});

describe("the access variables in readEnv", () => {
  it("names ICA_AUTH and its allowed values", () => {
    expect(() => readEnv({ ICA_AUTH: "password" })).toThrow(EnvError);
    expect(() => readEnv({ ICA_AUTH: "password" })).toThrow(/ICA_AUTH="password": expected one of secret, none/);
  });
  it("names ICA_ALLOWED_HOSTS and what it accepts", () => {
    expect(readEnv({ ICA_ALLOWED_HOSTS: " a.example , b.example:8080 ," }).ICA_ALLOWED_HOSTS).toEqual([
      "a.example",
      "b.example:8080",
    ]);
    expect(() => readEnv({ ICA_ALLOWED_HOSTS: "http://a.example/" })).toThrow(
      /ICA_ALLOWED_HOSTS="http:\/\/a.example\/": expected a comma-separated list of host names/,
    );
  });
});

import { describe, expect, it } from "vitest";
import { readAccessConfig } from "./access-config";
import { startAccessSession } from "./access-sessions";
import { gateRequest, MAX_BODY_BYTES } from "./gate-request";
import { gateUpgrade } from "./gate-upgrade";

const local = readAccessConfig({ HOST: "127.0.0.1", PORT: "3000" });
const group = readAccessConfig({ HOST: "127.0.0.1", PORT: "3000", ICA_AUTH: "secret" });
const host = "127.0.0.1:3000";

describe("gateRequest", () => {
  it("refuses a Host that is not allowed with 403, before anything else", () => {
    expect(gateRequest({ url: "/", headers: { host: "rebind.example:3000" } }, local)).toMatchObject({ status: 403 });
    expect(gateRequest({ url: "/login", headers: {} }, group)).toMatchObject({ status: 403 });
  });
  it("limits bodies: 413 over 64 KB, 411 without a length", () => {
    const post = (headers: Record<string, string>) =>
      gateRequest({ method: "POST", url: "/api/scenarios/x/check", headers: { host, ...headers } }, local);
    expect(post({ "content-length": String(MAX_BODY_BYTES + 1) })).toMatchObject({ status: 413 });
    expect(post({ "content-length": String(MAX_BODY_BYTES) })).toEqual({ pass: true });
    expect(post({ "transfer-encoding": "chunked" })).toMatchObject({ status: 411 });
    expect(post({})).toEqual({ pass: true });
  });
  it("with a login: pages see /login (303), the API 401, the login itself and static files pass", () => {
    expect(gateRequest({ url: "/", headers: { host } }, group)).toMatchObject({
      status: 303,
      headers: { Location: "/login" },
    });
    expect(gateRequest({ method: "POST", url: "/api/scenarios/x/reset", headers: { host } }, group)).toMatchObject({
      status: 401,
    });
    expect(gateRequest({ url: "/login?secret=x", headers: { host } }, group)).toEqual({ pass: true });
    expect(gateRequest({ method: "POST", url: "/api/login", headers: { host } }, group)).toEqual({ pass: true });
    expect(gateRequest({ url: "/_next/static/chunks/a.js", headers: { host } }, group)).toEqual({ pass: true });
    expect(gateRequest({ url: "/_next/static/%2e%2e/%2e%2e/api/x", headers: { host } }, group)).toMatchObject({
      status: 303,
    });
    expect(gateRequest({ url: "/_next/static/../../", headers: { host } }, group)).toMatchObject({ status: 303 });
    const cookie = `ica_session=${startAccessSession()}`;
    expect(gateRequest({ url: "/", headers: { host, cookie } }, group)).toEqual({ pass: true });
  });
  it("without a login, passes an allowed request", () => {
    expect(gateRequest({ url: "/", headers: { host } }, local)).toEqual({ pass: true });
  });
});

describe("gateUpgrade", () => {
  it("sends the terminal's path to the terminal, refuses other paths with 404", () => {
    expect(gateUpgrade({ url: "/api/terminal?scenario=x", headers: { host } }, local, { dev: false })).toEqual({
      to: "terminal",
    });
    expect(gateUpgrade({ url: "/foo", headers: { host } }, local, { dev: false })).toEqual({ refuse: 404 });
    expect(gateUpgrade({ url: "/_next/hmr?id=1", headers: { host } }, local, { dev: false })).toEqual({ refuse: 404 });
  });
  it("passes Next's hot-reload socket to Next in development only", () => {
    expect(gateUpgrade({ url: "/_next/hmr?id=1", headers: { host } }, local, { dev: true })).toEqual({ to: "next" });
    expect(gateUpgrade({ url: "/_next/other", headers: { host } }, local, { dev: true })).toEqual({ refuse: 404 });
  });
  it("refuses a foreign Host with 403 and a missing session with 401", () => {
    expect(gateUpgrade({ url: "/api/terminal", headers: { host: "evil.example" } }, local, { dev: false })).toEqual({
      refuse: 403,
    });
    expect(gateUpgrade({ url: "/api/terminal", headers: { host } }, group, { dev: false })).toEqual({ refuse: 401 });
    const cookie = `ica_session=${startAccessSession()}`;
    expect(gateUpgrade({ url: "/api/terminal", headers: { host, cookie } }, group, { dev: false })).toEqual({
      to: "terminal",
    });
  });
});

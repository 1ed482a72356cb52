import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { restoreMeshConfigKeys } from "./mesh-config-keys";

// The mesh text istioctl renders for the default profile (sequences level with their key).
const INSTALLED = `defaultConfig:
  discoveryAddress: istiod.istio-system.svc:15012
defaultProviders:
  metrics:
  - prometheus
enablePrometheusMerge: true
rootNamespace: istio-system
trustDomain: cluster.local
`;

describe("restoreMeshConfigKeys", () => {
  it("returns the text itself when the declared keys equal the baseline's", () => {
    const now = `${INSTALLED}enableTracing: false\n`;
    expect(restoreMeshConfigKeys(now, INSTALLED, ["outboundTrafficPolicy.mode", "accessLogFile"])).toBe(now);
  });

  it("removes keys the baseline lacks, with the maps that held only them, and keeps every other key", () => {
    const now = `${INSTALLED}outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\naccessLogFile: /dev/stdout\nenableTracing: false\n`;
    const restored = restoreMeshConfigKeys(now, INSTALLED, ["outboundTrafficPolicy.mode", "accessLogFile"]);
    expect(restored).toBe(`${INSTALLED}enableTracing: false\n`);
  });

  it("keeps the text's final newline, or its lack of one", () => {
    const bare = INSTALLED.trimEnd();
    const now = `${bare}\naccessLogFile: /dev/stdout`;
    expect(restoreMeshConfigKeys(now, bare, ["accessLogFile"])).toBe(bare);
    expect(restoreMeshConfigKeys(`${now}\n`, bare, ["accessLogFile"])).toBe(INSTALLED);
  });

  it("keeps a parent map that holds other keys or that the baseline has", () => {
    const now = "outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n  egressProxy: { host: x }\n";
    expect(parse(restoreMeshConfigKeys(now, "", ["outboundTrafficPolicy.mode"]))).toEqual({
      outboundTrafficPolicy: { egressProxy: { host: "x" } },
    });
    const base = "outboundTrafficPolicy: {}\n";
    expect(
      parse(restoreMeshConfigKeys("outboundTrafficPolicy:\n  mode: ALLOW_ANY\n", base, ["outboundTrafficPolicy.mode"])),
    ).toEqual({ outboundTrafficPolicy: {} });
  });

  it("sets keys to the baseline's values, creating the maps on the way", () => {
    const base = `${INSTALLED}outboundTrafficPolicy:\n  mode: ALLOW_ANY\naccessLogFile: ""\n`;
    const now = `${INSTALLED}accessLogFile: /dev/stdout\nenableTracing: false\n`;
    const restored = restoreMeshConfigKeys(now, base, ["outboundTrafficPolicy.mode", "accessLogFile"]);
    expect(parse(restored)).toEqual({ ...parse(base), enableTracing: false });
    // the untouched lines are the same text
    expect(restored.startsWith(INSTALLED)).toBe(true);
  });

  it("puts back a whole declared map, and replaces a scalar where the baseline has a map", () => {
    const base = "defaultConfig:\n  holdApplicationUntilProxyStarts: false\n  concurrency: 2\n";
    const now = "defaultConfig:\n  holdApplicationUntilProxyStarts: true\n  extra: 1\nother: kept\n";
    expect(parse(restoreMeshConfigKeys(now, base, ["defaultConfig"]))).toEqual({ ...parse(base), other: "kept" });
    const scalar = "outboundTrafficPolicy: REGISTRY_ONLY\n";
    expect(
      parse(
        restoreMeshConfigKeys(scalar, "outboundTrafficPolicy:\n  mode: ALLOW_ANY\n", ["outboundTrafficPolicy.mode"]),
      ),
    ).toEqual({ outboundTrafficPolicy: { mode: "ALLOW_ANY" } });
  });

  it("handles an empty mesh text and a baseline without one", () => {
    expect(parse(restoreMeshConfigKeys("", "accessLogFile: /dev/stdout\n", ["accessLogFile"]))).toEqual({
      accessLogFile: "/dev/stdout",
    });
    expect(parse(restoreMeshConfigKeys("accessLogFile: x\nb: 1\n", null, ["accessLogFile"]))).toEqual({ b: 1 });
  });

  it("keeps comments and indented sequences of text a person wrote", () => {
    const now =
      "# mine\nextensionProviders:\n  - name: otel # the collector\n    opentelemetry: { port: 4317 }\naccessLogFile: x\n";
    expect(restoreMeshConfigKeys(now, "", ["accessLogFile"])).toBe(
      "# mine\nextensionProviders:\n  - name: otel # the collector\n    opentelemetry: { port: 4317 }\n",
    );
  });
});

// The kind driver's configs: the gateway's NodePorts are the ports kind publishes on loopback.

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compareVersions } from "./kind-diagnostics";
import { formatStep, istioOperatorYaml, kindConfigYaml } from "./kind-plan";

describe("kind plan", () => {
  it("publishes the ingress gateway's NodePorts on 127.0.0.1:80 and :443", () => {
    const kind = parse(kindConfigYaml());
    expect(kind.nodes).toEqual([
      {
        role: "control-plane",
        extraPortMappings: [
          { containerPort: 30080, hostPort: 80, listenAddress: "127.0.0.1", protocol: "TCP" },
          { containerPort: 30443, hostPort: 443, listenAddress: "127.0.0.1", protocol: "TCP" },
        ],
      },
    ]);
    const operator = parse(istioOperatorYaml());
    expect(operator.spec.profile).toBe("default");
    // access logs stay off mesh-wide: the scenarios' baseline (Telemetry turns them on where read)
    expect(operator.spec.meshConfig).toBeUndefined();
    const service = operator.spec.components.ingressGateways[0].k8s.service;
    expect(service.type).toBe("NodePort");
    expect(service.ports).toEqual([
      { name: "status-port", port: 15021, targetPort: 15021 },
      { name: "http2", port: 80, targetPort: 8080, nodePort: 30080 },
      { name: "https", port: 443, targetPort: 8443, nodePort: 30443 },
    ]);
  });

  it("prints a step as a shell line, quoting what needs it, with its input", () => {
    expect(formatStep({ what: "", command: "docker", args: ["info", "--format", "{{json .}}"], timeoutS: 1 })).toBe(
      "docker info --format '{{json .}}'",
    );
    expect(formatStep({ what: "", command: "k", args: ["apply", "-f", "-"], input: "a: 1\nb: 2\n", timeoutS: 1 })).toBe(
      "k apply -f - <<EOF\n    a: 1\n    b: 2\nEOF",
    );
  });

  it("compares versions by number", () => {
    expect(compareVersions("0.29.0", "0.29.0")).toBe(0);
    expect(compareVersions("0.30.0", "0.29.0")).toBe(1);
    expect(compareVersions("0.9.0", "0.29.0")).toBe(-1);
    expect(compareVersions("1.26.10", "1.26.8")).toBe(1);
  });
});

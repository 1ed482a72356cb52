import { describe, expect, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { helloworld } from "../test-objects";
import { portProtocol } from "./ports";

const svc = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: ${ports} }\n`;

describe("service.ports", () => {
  it("names and reserved ports", async () => {
    await expectPass("service.ports", { namespace: "shop", name: "helloworld" }, helloworld());
    const bad = svc("[{ name: web, port: 15001 }, { port: 80, appProtocol: http }]");
    await expectFail(
      "service.ports",
      { namespace: "shop", name: "s" },
      bad,
      /spec\.ports\[0\] \(port 15001\) name "web" names no protocol/,
      /port 15001 is reserved/,
      /targetPort 15001 is reserved by the sidecar \(targetPort defaults to port\)/,
    );
    await expectFail(
      "service.ports",
      { namespace: "shop", name: "s" },
      svc("[{ name: http, port: 80, targetPort: 15020 }]"),
      /targetPort 15020/,
    );
  });

  it("selects the protocol as Istio does", () => {
    expect(portProtocol({ name: "http" }).protocol).toBe("HTTP");
    expect(portProtocol({ name: "HTTP-web" }).protocol).toBe("HTTP");
    expect(portProtocol({ name: "grpc-web-api" }).protocol).toBe("GRPC-Web");
    expect(portProtocol({ name: "grpc-orders" }).protocol).toBe("GRPC");
    expect(portProtocol({ name: "httpweb" }).protocol).toBeUndefined();
    expect(portProtocol({ name: "web" }).protocol).toBeUndefined();
    // appProtocol wins over the name, and an unknown one is not a declaration
    expect(portProtocol({ name: "http", appProtocol: "tcp" }).protocol).toBe("TCP");
    expect(portProtocol({ name: "http", appProtocol: "web" }).protocol).toBeUndefined();
    expect(portProtocol({ name: "x", appProtocol: "kubernetes.io/h2c" }).protocol).toBe("HTTP2");
    expect(portProtocol({ name: "dns", port: 53, protocol: "UDP" }).protocol).toBe("UDP");
    expect(portProtocol({ name: "udp-x", port: 9000 }).protocol).toBe("TCP");
    expect(portProtocol({ name: "db", port: 3306 }).protocol).toBe("TCP");
  });

  it("grades the expected protocol per port", async () => {
    const p = { namespace: "shop", name: "s", protocols: { "80": "HTTP", "9090": ["GRPC", "HTTP2"] } };
    await expectPass("service.ports", p, svc("[{ name: http-web, port: 80 }, { name: grpc, port: 9090 }]"));
    await expectPass(
      "service.ports",
      p,
      svc("[{ name: web, port: 80, appProtocol: HTTP }, { name: rpc, port: 9090, appProtocol: kubernetes.io/h2c }]"),
    );
    await expectFail(
      "service.ports",
      p,
      svc("[{ name: tcp-web, port: 80 }, { name: grpc, port: 9090 }]"),
      /port 80\) is TCP by its name "tcp-web", expected HTTP/,
    );
    await expectFail(
      "service.ports",
      p,
      svc("[{ name: http, port: 80, appProtocol: tcp }, { name: grpc, port: 9090 }]"),
      /is TCP by its appProtocol "tcp"/,
    );
    await expectFail(
      "service.ports",
      p,
      svc("[{ name: http, port: 8080 }, { name: grpc, port: 9090 }]"),
      /has no port 80/,
    );
  });
});

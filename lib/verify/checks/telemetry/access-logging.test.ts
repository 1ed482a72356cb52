import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const deploy = (name: string, ns = "shop") => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}, version: v1 } }
    spec: { containers: [{ name: ${name}, image: x }] }
`;
const apps = `${deploy("web")}---${deploy("db")}`;
const mesh = (text: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
${text
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
`;
const telemetry = (ns: string, name: string, spec: string) => `
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
`;
const envoy = "accessLogging:\n- providers:\n  - name: envoy";
const on = { namespace: "shop", selector: { app: "web" }, path: "/dev/stdout" };

describe("telemetry.access-logging", () => {
  it("is off by default: no Telemetry, mesh accessLogFile absent", async () => {
    await expectFail("telemetry.access-logging", on, apps, /does not log/, /accessLogFile is ""/);
    await expectPass("telemetry.access-logging", { ...on, enabled: false }, apps);
  });

  it("mesh config accessLogFile turns it on for every workload", async () => {
    const y = `${apps}---${mesh("accessLogFile: /dev/stdout\naccessLogEncoding: JSON")}`;
    await expectPass("telemetry.access-logging", on, y);
    await expectPass("telemetry.access-logging", { namespace: "shop", path: "/dev/stdout" }, y);
    await expectFail("telemetry.access-logging", { ...on, path: "/var/log/access.log" }, y, /does not log/);
  });

  it("enableEnvoyAccessLogService streams over gRPC and writes no file", async () => {
    const y = `${apps}---${mesh("enableEnvoyAccessLogService: true")}`;
    await expectFail("telemetry.access-logging", on, y, /enableEnvoyAccessLogService/);
    await expectPass("telemetry.access-logging", { namespace: "shop", streamed: true }, y);
  });

  it("a Telemetry with the envoy provider: root namespace, namespace or workload", async () => {
    await expectPass("telemetry.access-logging", on, `${apps}---${telemetry("istio-system", "mesh-default", envoy)}`);
    await expectPass("telemetry.access-logging", on, `${apps}---${telemetry("shop", "logs", envoy)}`);
    const wl = `${apps}---${telemetry("shop", "web-logs", `selector:\n  matchLabels: { app: web }\n${envoy}`)}`;
    await expectPass("telemetry.access-logging", on, wl);
    await expectFail("telemetry.access-logging", { ...on, selector: { app: "db" } }, wl, /Deployment shop\/db/);
    // a namespace Telemetry elsewhere does nothing here
    await expectFail("telemetry.access-logging", on, `${apps}---${telemetry("other", "logs", envoy)}`);
  });

  it("a Telemetry without providers inherits the mesh's default providers (none by default)", async () => {
    const y = `${apps}---${telemetry("shop", "logs", "accessLogging:\n- {}")}`;
    await expectFail("telemetry.access-logging", on, y, /no access log/);
    const withDefault = `${y}---${mesh("defaultProviders:\n  accessLogging: [envoy]")}`;
    await expectPass("telemetry.access-logging", on, withDefault);
  });

  it("a lower level disables what a higher one turns on, and beats mesh accessLogFile", async () => {
    const y = `${apps}---${telemetry("istio-system", "mesh-default", envoy)}---${telemetry(
      "shop",
      "db-quiet",
      "selector:\n  matchLabels: { app: db }\naccessLogging:\n- disabled: true",
    )}`;
    await expectPass("telemetry.access-logging", on, y);
    await expectFail("telemetry.access-logging", { ...on, selector: { app: "db" } }, y, /db-quiet/);
    const overMesh = `${apps}---${mesh("accessLogFile: /dev/stdout")}---${telemetry("shop", "quiet", "accessLogging:\n- providers: [{ name: envoy }]\n  disabled: true")}`;
    await expectFail("telemetry.access-logging", on, overMesh, /precedence/);
  });

  it("match.mode limits the direction", async () => {
    const y = `${apps}---${telemetry("shop", "logs", "accessLogging:\n- providers: [{ name: envoy }]\n  match: { mode: SERVER }")}`;
    await expectPass("telemetry.access-logging", { ...on, direction: "inbound" }, y);
    await expectFail("telemetry.access-logging", on, y, /requests it sends/);
  });

  it("an unknown provider logs nothing; a mesh file provider does", async () => {
    const unknown = `${apps}---${telemetry("shop", "logs", "accessLogging:\n- providers: [{ name: json-stdout }]")}`;
    await expectFail("telemetry.access-logging", on, unknown);
    const known = `${unknown}---${mesh("extensionProviders:\n- name: json-stdout\n  envoyFileAccessLog:\n    path: /dev/stdout\n    logFormat: { labels: {} }")}`;
    await expectPass("telemetry.access-logging", on, known);
  });

  it("the oldest namespace-wide Telemetry wins; pods' own labels are used when pods exist", async () => {
    const pod = `
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: shop, labels: { app: web, version: v2 } }
spec: { containers: [{ name: web, image: x }] }
`;
    const sel = telemetry("shop", "v2-logs", `selector:\n  matchLabels: { version: v2 }\n${envoy}`);
    await expectPass("telemetry.access-logging", on, `${apps}---${pod}---${sel}`);
    await expectFail("telemetry.access-logging", on, `${apps}---${sel}`, /Deployment shop\/web/);
  });
  it("two namespace-wide Telemetries: the oldest decides; targetRefs never apply to sidecars", async () => {
    const older = telemetry(
      "shop",
      "a-quiet",
      "accessLogging:\n- providers: [{ name: envoy }]\n  disabled: true",
    ).replace(
      "metadata: { name: a-quiet, namespace: shop }",
      'metadata: { name: a-quiet, namespace: shop, creationTimestamp: "2024-01-01T00:00:00Z" }',
    );
    const newer = telemetry("shop", "b-logs", envoy).replace(
      "metadata: { name: b-logs, namespace: shop }",
      'metadata: { name: b-logs, namespace: shop, creationTimestamp: "2025-01-01T00:00:00Z" }',
    );
    await expectFail("telemetry.access-logging", on, `${apps}---${newer}---${older}`, /a-quiet/);
    const targeted = telemetry(
      "shop",
      "gw-logs",
      `targetRefs:\n- { group: gateway.networking.k8s.io, kind: Gateway, name: gw }\n${envoy}`,
    );
    await expectFail("telemetry.access-logging", on, `${apps}---${targeted}`);
  });
});

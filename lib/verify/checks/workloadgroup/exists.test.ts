import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const wg = `apiVersion: networking.istio.io/v1
kind: WorkloadGroup
metadata: { name: legacy }
spec:
  metadata: { labels: { app: legacy } }
  template: { serviceAccount: legacy, network: vm-net }
  probe: { httpGet: { port: 8080, path: /ready } }
---
`;

describe("workloadgroup.exists", () => {
  it("workloadgroup.exists", async () => {
    await expectPass(
      "workloadgroup.exists",
      { namespace: "shop", labels: { app: "legacy" }, serviceAccount: "legacy", network: "vm-net", probe: true },
      wg,
    );
    await expectFail(
      "workloadgroup.exists",
      { namespace: "shop", serviceAccount: "other" },
      wg,
      /template\.serviceAccount is "legacy", expected other/,
    );
  });
  it("workloadgroup.exists grades the readiness probe asked for: handler, port and path", async () => {
    const want = { namespace: "shop", probe: { type: "httpGet", port: 8080, path: "/ready" } };
    await expectPass("workloadgroup.exists", want, wg);
    await expectPass("workloadgroup.exists", { namespace: "shop", probe: { path: "/ready" } }, wg);
    await expectFail(
      "workloadgroup.exists",
      want,
      wg.replace("httpGet: { port: 8080, path: /ready }", "tcpSocket: { port: 8080 }"),
      /spec\.probe is tcpSocket, expected httpGet/,
    );
    await expectFail(
      "workloadgroup.exists",
      want,
      wg.replace("path: /ready", "path: /healthz"),
      /spec\.probe httpGet\.path is "\/healthz", expected \/ready/,
    );
    await expectFail(
      "workloadgroup.exists",
      { namespace: "shop", probe: true },
      wg.replace("httpGet: { port: 8080, path: /ready }", "periodSeconds: 5"),
      /spec\.probe sets no handler/,
    );
  });
});

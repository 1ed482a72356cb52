import { describe, expect, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const EGRESS = "sidecar.egress";

/** A Sidecar in `ns` (default shop), scoped to `selector` labels when given. */
const sidecar = (name: string, hosts: string, selector?: string, ns = "shop", created?: string) =>
  `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ""} }
spec:
${selector ? `  workloadSelector: { labels: ${selector} }\n` : ""}  egress: [{ hosts: ${hosts} }]
---
`;

const curl = `apiVersion: apps/v1
kind: Deployment
metadata: { name: curl, namespace: shop }
spec:
  selector: { matchLabels: { app: curl } }
  template:
    metadata: { labels: { app: curl, version: v1 } }
    spec: { containers: [{ name: curl, image: curl }] }
---
`;

describe("sidecar.egress for one workload (workloadSelector)", () => {
  it("grades the Sidecar whose workloadSelector selects the workload", async () => {
    await expectPass(
      EGRESS,
      { namespace: "shop", workload: { app: "curl" }, hosts: ["./*", "istio-system/*"], onlyThese: true },
      sidecar("curl", '["./*", "istio-system/*"]', "{ app: curl }"),
    );
  });

  it("prefers it over the namespace-wide Sidecar, which still applies to other workloads", async () => {
    const both = sidecar("default", '["*/*"]') + sidecar("curl", '["./*"]', "{ app: curl }");
    const r = await expectPass(
      EGRESS,
      { namespace: "shop", workload: { app: "curl" }, hosts: ["./*"], onlyThese: true },
      both,
    );
    expect(r.message).toMatch(/Sidecar shop\/curl/);
    await expectFail(
      EGRESS,
      { namespace: "shop", workload: { app: "other" }, hosts: ["./*"], onlyThese: true },
      both,
      /^Sidecar shop\/default spec: egress also allows \*\/\*/,
    );
  });

  it("matches the selector against the workload's pod labels, not only the labels the check names", async () => {
    await expectPass(
      EGRESS,
      { namespace: "shop", workload: { app: "curl" }, hosts: ["./*"] },
      curl + sidecar("curl", '["./*"]', "{ app: curl, version: v1 }"),
    );
    await expectFail(
      EGRESS,
      { namespace: "shop", workload: { app: "curl" }, hosts: ["./*"] },
      curl + sidecar("curl", '["./*"]', "{ app: curl, version: v2 }"),
      /no Sidecar applies to workload app=curl in namespace shop: Sidecar shop\/curl spec\.workloadSelector\.labels app=curl,version=v2 do not select its pods \(app=curl,version=v1\)/,
    );
  });

  it("two Sidecars selecting the same workload: the oldest applies, but Istio reports IST0110", async () => {
    await expectFail(
      EGRESS,
      { namespace: "shop", workload: { app: "curl" }, hosts: ["./*"] },
      sidecar("a", '["./*"]', "{ app: curl }", "shop", "2024-01-01T00:00:00Z") +
        sidecar("b", '["./*"]', "{ app: curl }", "shop", "2024-02-01T00:00:00Z"),
      /Sidecar shop\/a and Sidecar shop\/b both select workload app=curl \(IST0110\)/,
    );
  });

  it("without a Sidecar of its namespace, a workload gets the root namespace's selector-less one", async () => {
    const r = await expectPass(
      EGRESS,
      { namespace: "shop", workload: { app: "curl" }, hosts: ["./*"] },
      sidecar("default", '["./*"]', undefined, "istio-system"),
    );
    expect(r.message).toMatch(/Sidecar istio-system\/default \(mesh-wide\)/);
    // A root-namespace Sidecar with a workloadSelector applies only in the root namespace.
    await expectFail(
      EGRESS,
      { namespace: "shop", workload: { app: "curl" }, hosts: ["./*"] },
      sidecar("curl", '["./*"]', "{ app: curl }", "istio-system"),
      /no Sidecar applies to workload app=curl in namespace shop/,
    );
  });

  it("namespace-wide grading names a workload-scoped Sidecar that covers only some workloads", async () => {
    await expectFail(
      EGRESS,
      { namespace: "shop", hosts: ["./*"] },
      sidecar("curl", '["./*"]', "{ app: curl }"),
      /no Sidecar without workloadSelector in namespace shop: Sidecar shop\/curl applies only to workloads labelled app=curl/,
    );
  });
});

describe("sidecar.egress hosts", () => {
  it("reads */<service FQDN> as the service's own namespace (a Kubernetes service lives in one)", async () => {
    const fqdn = "helloworld.other.svc.cluster.local";
    await expectPass(
      EGRESS,
      { namespace: "shop", hosts: ["./*", `other/${fqdn}`], onlyThese: true },
      sidecar("default", `["./*", "*/${fqdn}"]`),
    );
    await expectFail(
      EGRESS,
      { namespace: "shop", hosts: ["./*", `other/${fqdn}`], onlyThese: true },
      sidecar("default", '["./*", "other/*"]'),
      /egress also allows other\/\*/,
    );
  });
});

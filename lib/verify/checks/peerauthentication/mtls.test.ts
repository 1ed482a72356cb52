import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const pa = (name: string, ns: string, spec: string, created = "") => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ""} }
spec: ${spec}
---
`;

describe("peerauthentication.mtls", () => {
  it("mesh-wide: one selector-less policy in the root namespace; the oldest wins", async () => {
    await expectPass(
      "peerauthentication.mtls",
      { scope: "mesh", mode: "STRICT" },
      pa("default", "istio-system", "{ mtls: { mode: STRICT } }"),
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "mesh", mode: "STRICT" },
      pa("default", "shop", "{ mtls: { mode: STRICT } }"),
      /root namespace istio-system/,
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "mesh", mode: "STRICT" },
      pa("old", "istio-system", "{ mtls: { mode: PERMISSIVE } }", "2024-01-01T00:00:00Z") +
        pa("new", "istio-system", "{ mtls: { mode: STRICT } }", "2024-02-01T00:00:00Z"),
      /PeerAuthentication istio-system\/old spec\.mtls\.mode is PERMISSIVE, expected STRICT \(newer PeerAuthentication istio-system\/new is ignored\)/,
    );
  });
  it("reads an empty selector as no selector (namespace-wide), as Istio does", async () => {
    await expectPass(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("default", "shop", "{ selector: { matchLabels: {} }, mtls: { mode: STRICT } }"),
    );
    await expectPass(
      "peerauthentication.mtls",
      { scope: "mesh", mode: "STRICT" },
      pa("default", "istio-system", "{ selector: {}, mtls: { mode: STRICT } }"),
    );
  });
  it("namespace scope; UNSET inherits from the mesh", async () => {
    await expectPass(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("default", "shop", "{ mtls: { mode: STRICT } }"),
    );
    await expectPass(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("mesh", "istio-system", "{ mtls: { mode: STRICT } }") + pa("default", "shop", "{}"),
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("default", "shop", "{}"),
      /unset \(inherits PERMISSIVE\)/,
    );
  });
  it("workload scope with port exceptions", async () => {
    const w = pa(
      "httpbin",
      "shop",
      "{ selector: { matchLabels: { app: httpbin } }, mtls: { mode: STRICT }, portLevelMtls: { 8080: { mode: DISABLE } } }",
    );
    await expectPass(
      "peerauthentication.mtls",
      {
        scope: "workload",
        namespace: "shop",
        selector: { app: "httpbin", version: "v1" },
        mode: "STRICT",
        portLevelMtls: { "8080": "DISABLE" },
      },
      w,
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "httpbin" }, portLevelMtls: { "9000": "DISABLE" } },
      w,
      /portLevelMtls\[9000\]\.mode is unset \(inherits STRICT\), expected DISABLE/,
    );
    // A port with mode UNSET (or no mode) inherits the workload's effective mode, and that the namespace's and the mesh's.
    await expectPass(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "httpbin" }, portLevelMtls: { "8080": "STRICT" } },
      pa("mesh", "istio-system", "{ mtls: { mode: STRICT } }") +
        pa(
          "httpbin",
          "shop",
          "{ selector: { matchLabels: { app: httpbin } }, portLevelMtls: { 8080: { mode: UNSET }, 9090: {} } }",
        ),
    );
    await expectPass(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "httpbin" }, portLevelMtls: { "9090": "DISABLE" } },
      pa("ns", "shop", "{ mtls: { mode: DISABLE } }") +
        pa("httpbin", "shop", "{ selector: { matchLabels: { app: httpbin } }, portLevelMtls: { 9090: {} } }"),
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "httpbin" }, portLevelMtls: { "8080": "STRICT" } },
      pa(
        "httpbin",
        "shop",
        "{ selector: { matchLabels: { app: httpbin } }, portLevelMtls: { 8080: { mode: UNSET } } }",
      ),
      /portLevelMtls\[8080\]\.mode is UNSET \(inherits PERMISSIVE\), expected STRICT/,
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "workload", namespace: "shop", selector: { app: "other" } },
      w,
      /selects workloads labelled app=other/,
    );
  });
  it("a namespace with no policy of its own inherits the mesh mode (issue #14)", async () => {
    await expectPass(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("default", "istio-system", "{ mtls: { mode: STRICT } }"),
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      pa("default", "istio-system", "{ mtls: { mode: PERMISSIVE } }"),
      /no PeerAuthentication without selector in namespace shop, so it inherits the mesh mode PERMISSIVE from PeerAuthentication istio-system\/default, expected STRICT/,
    );
    await expectFail(
      "peerauthentication.mtls",
      { scope: "namespace", namespace: "shop", mode: "STRICT" },
      "",
      /inherits the mesh mode PERMISSIVE \(no mesh-wide policy: the default\), expected STRICT/,
    );
  });
});

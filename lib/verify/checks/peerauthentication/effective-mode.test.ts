import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

const pa = (name: string, ns: string, spec: string, created = "") => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ""} }
spec: ${spec}
---
`;
const meshStrict = pa("default", "istio-system", "{ mtls: { mode: STRICT } }");
const check = "peerauthentication.effective-mode";

describe("peerauthentication.effective-mode (issue #14)", () => {
  it("a namespace with no policy of its own inherits the mesh mode", async () => {
    await expectPass(check, { namespace: "shop", mode: "STRICT" }, meshStrict);
    await expectPass(check, { namespace: "shop", mode: "PERMISSIVE" }, "");
    await expectFail(
      check,
      { namespace: "shop", mode: "STRICT" },
      "",
      /accept mTLS PERMISSIVE, expected STRICT: no PeerAuthentication applies/,
    );
  });
  it("a mesh-wide STRICT is not STRICT for a namespace whose own policy says PERMISSIVE", async () => {
    const yaml = meshStrict + pa("legacy", "shop", "{ mtls: { mode: PERMISSIVE } }");
    await expectFail(
      check,
      { namespace: "shop", mode: "STRICT" },
      yaml,
      /workloads in namespace shop accept mTLS PERMISSIVE, expected STRICT: decided by PeerAuthentication shop\/legacy \(namespace\) spec\.mtls\.mode PERMISSIVE/,
    );
    await expectPass(check, { namespace: "other", mode: "STRICT" }, yaml);
    // UNSET inherits
    await expectPass(
      check,
      { namespace: "shop", mode: "STRICT" },
      meshStrict + pa("ns", "shop", "{ mtls: { mode: UNSET } }"),
    );
  });
  it("workload then port override; root-namespace selector policies apply to nothing", async () => {
    const wl = pa(
      "httpbin",
      "shop",
      "{ selector: { matchLabels: { app: httpbin } }, mtls: { mode: PERMISSIVE }, portLevelMtls: { 8080: { mode: DISABLE }, 9000: {} } }",
    );
    const p = { namespace: "shop", workloadLabels: { app: "httpbin", version: "v1" } };
    await expectPass(check, { ...p, mode: "PERMISSIVE" }, meshStrict + wl);
    await expectPass(check, { ...p, port: 8080, mode: "DISABLE" }, meshStrict + wl);
    await expectPass(check, { ...p, port: 9000, mode: "PERMISSIVE" }, meshStrict + wl);
    await expectPass(check, { ...p, port: 80, mode: "PERMISSIVE" }, meshStrict + wl);
    await expectPass(check, { namespace: "shop", workloadLabels: { app: "curl" }, mode: "STRICT" }, meshStrict + wl);
    await expectPass(
      check,
      { ...p, mode: "STRICT" },
      meshStrict + pa("x", "istio-system", "{ selector: { matchLabels: { app: httpbin } }, mtls: { mode: DISABLE } }"),
    );
  });
  it("the oldest policy of a level wins and the newer is named", async () => {
    await expectFail(
      check,
      { namespace: "shop", mode: "STRICT" },
      pa("old", "istio-system", "{ mtls: { mode: PERMISSIVE } }", "2024-01-01T00:00:00Z") +
        pa("new", "istio-system", "{ mtls: { mode: STRICT } }", "2024-02-01T00:00:00Z"),
      /newer PeerAuthentication istio-system\/new ignored/,
    );
  });
});

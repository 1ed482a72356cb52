import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";

describe("requestauthentication.jwt", () => {
  it("requestauthentication.jwt", async () => {
    const ra = `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: istio-system }
spec:
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://example.com/jwks.json
    audiences: [app]
---
`;
    await expectPass(
      "requestauthentication.jwt",
      {
        namespace: "shop",
        issuer: "testing@secure.istio.io",
        jwksUri: "https://example.com/jwks.json",
        audiences: ["app"],
      },
      ra,
    );
    await expectFail(
      "requestauthentication.jwt",
      { namespace: "shop", issuer: "testing@secure.istio.io", jwksUri: "https://other/jwks.json" },
      ra,
      /jwksUri is "https:\/\/example\.com\/jwks\.json", expected https:\/\/other/,
    );
    await expectFail(
      "requestauthentication.jwt",
      { namespace: "shop", issuer: "other" },
      ra,
      /no RequestAuthentication covering namespace shop has a jwtRule for issuer other \(found RequestAuthentication istio-system\/jwt spec\.jwtRules\[0\]\.issuer/,
    );
  });
});

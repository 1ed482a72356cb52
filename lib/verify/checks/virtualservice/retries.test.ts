import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

const RETRIES = "virtualservice.retries";
const withRetries = (r: string) => world(vs(`${serveV1}    retries: ${r}`));

describe("virtualservice.retries", () => {
  it("accepts equivalent values", async () => {
    await expectPass(
      RETRIES,
      { ...target, attempts: 3, perTryTimeout: "2s", retryOn: "5xx" },
      withRetries('{ attempts: 3, perTryTimeout: 2000ms, retryOn: "connect-failure,5xx" }'),
    );
    await expectPass(
      RETRIES,
      { ...target, retryOn: ["5xx", "gateway-error"] },
      withRetries('{ attempts: 3, retryOn: "gateway-error,5xx" }'),
    );
  });
  it("rejects wrong or missing values", async () => {
    await expectFail(
      RETRIES,
      { ...target, attempts: 3 },
      withRetries("{ attempts: 2 }"),
      /retries: attempts is 2, expected 3/,
    );
    await expectFail(
      RETRIES,
      { ...target, attempts: 3 },
      world(vs(serveV1)),
      /retries is unset \(Istio's default: 2 attempts/,
    );
    await expectFail(
      RETRIES,
      { ...target, retryOn: "5xx" },
      withRetries('{ attempts: 3, retryOn: "connect-failure" }'),
      /which does not retry 5xx/,
    );
  });
  it("reads retries as Istio does: no attempts disables them, no retryOn takes Istio's default conditions", async () => {
    await expectPass(
      RETRIES,
      { ...target, attempts: 3, retryOn: "connect-failure,refused-stream" },
      withRetries("{ attempts: 3 }"),
    );
    await expectPass(RETRIES, { ...target, attempts: 0 }, withRetries("{ retryOn: 5xx }"));
    await expectFail(
      RETRIES,
      { ...target, retryOn: "5xx", perTryTimeout: "2s" },
      withRetries("{ retryOn: 5xx, perTryTimeout: 2s }"),
      /retries\.attempts is unset, so Istio disables retries/,
    );
    await expectFail(
      RETRIES,
      { ...target, retryOn: "5xx" },
      withRetries("{ attempts: 0, retryOn: 5xx }"),
      /retries\.attempts is 0, so Istio disables retries/,
    );
  });
});

describe("virtualservice.retries: retryOn by meaning (issue #13)", () => {
  it('a status code and its class both retry it: "500" and 5xx', async () => {
    await expectPass(RETRIES, { ...target, retryOn: "500" }, withRetries('{ attempts: 3, retryOn: "5xx" }'));
    await expectPass(RETRIES, { ...target, retryOn: "500" }, withRetries('{ attempts: 3, retryOn: "500" }'));
    await expectPass(RETRIES, { ...target, retryOn: "503" }, withRetries('{ attempts: 3, retryOn: "gateway-error" }'));
    await expectPass(
      RETRIES,
      { ...target, retryOn: ["gateway-error", "connect-failure"] },
      withRetries('{ attempts: 3, retryOn: "502,503,504,reset" }'),
    );
    await expectFail(
      RETRIES,
      { ...target, retryOn: "500" },
      withRetries('{ attempts: 3, retryOn: "gateway-error" }'),
      /VirtualService shop\/helloworld spec\.http\[0\]\.retries: retryOn is "gateway-error", which does not retry 500/,
    );
  });
  it("unset retryOn is Istio's default: 503 and connect failures are retried, 500 is not", async () => {
    await expectPass(RETRIES, { ...target, retryOn: ["503", "connect-failure"] }, withRetries("{ attempts: 3 }"));
    await expectFail(RETRIES, { ...target, retryOn: "500" }, withRetries("{ attempts: 3 }"), /Istio's default/);
  });
  it("notRetriedOn: a status that must not be retried", async () => {
    await expectPass(RETRIES, { ...target, notRetriedOn: "500" }, withRetries('{ attempts: 3, retryOn: "503" }'));
    await expectFail(
      RETRIES,
      { ...target, notRetriedOn: "500" },
      withRetries('{ attempts: 3, retryOn: "5xx" }'),
      /which also retries 500/,
    );
  });
});

describe("virtualservice.retries: retries left unset are Istio's default policy (issue #13)", () => {
  it("503 and connect failures are retried twice; 500 is not; 3 attempts are not", async () => {
    const none = world(vs(serveV1));
    await expectPass(RETRIES, { ...target, retryOn: ["503", "connect-failure"], notRetriedOn: "500" }, none);
    await expectFail(RETRIES, { ...target, retryOn: "500" }, none, /retries is unset .*which does not retry 500/);
    await expectFail(RETRIES, { ...target, attempts: 3 }, none, /retries is unset \(Istio's default: 2 attempts/);
  });
});
